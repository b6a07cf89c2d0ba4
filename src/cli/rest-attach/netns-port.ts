/**
 * `--port netns[:<ifname>]` (spec config.md §6.1): a network namespace standing for a VM,
 * connected to the VPN by a veth pair whose host side is the port attached.
 *
 *   host side  <hostIf>  (ns-<namespace>, 15 characters at most; or the <ifname> given)
 *   namespace  <if2vpn>  (tovpn), or with --ovs-vlan V: ns2vpn-raw + VLAN V sub-interface <if2vpn>
 *
 * On attach the namespace, the pair, the MAC (--mac), the address and the MTUs are set up, the
 * same commands as the original, in the same order, with the same failures tolerated. The
 * default route via the gateway inside the namespace is added only with --default-route (the
 * original always added it; a test must never add default routes). Detach computes the same
 * names and deletes nothing, as the original.
 */
import type { PrivilegedRunner } from '../client/privileged-command.js';

/** Linux interface names have at most 15 characters (IFNAMSIZ - 1). */
export const LINUX_DEV_LEN = 15;
const VPN2NS_INTERFACE_PREFIX = 'ns-';
const RAW_NS_INTERFACE = 'ns2vpn-raw';
/** High enough for an OVS bridge's kernel interface. */
const HOST_MTU = 9000;
const NS_MTU = 1420;

export interface NetnsPort {
  readonly namespace: string;
  /** The host side of the veth pair: the port attached. */
  readonly hostIf: string;
  /** The interface in the namespace toward the VPN. */
  readonly if2vpn: string;
}

/** The names, from `--port netns[:<ifname>]`, `--netns` and `--if2vpn`. */
export function netnsPortNames(port: string, namespace: string, if2vpn: string): NetnsPort {
  const given = port.startsWith('netns:') ? port.slice('netns:'.length) : '';
  return { namespace, hostIf: given !== '' ? given : (VPN2NS_INTERFACE_PREFIX + namespace).slice(0, LINUX_DEV_LEN), if2vpn };
}

export interface NetnsSetup {
  readonly ipPrefix: string;
  readonly gateway: string;
  readonly mac: string | undefined;
  readonly ovsVlan: number | undefined;
  readonly defaultRoute: boolean;
}

async function createVethPair(run: PrivilegedRunner, ns: string, hostIf: string, nsIf: string): Promise<void> {
  await run.run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'delete', nsIf], { acceptable: [0, 1], tolerateFailure: true });
  // A port left in OVS would take the new interface back when it reappears.
  await run.run(['ovs-vsctl', 'del-port', hostIf], { acceptable: [0, 1], tolerateFailure: true });
  await run.run(['ip', 'link', 'delete', hostIf], { acceptable: [0, 1], tolerateFailure: true });
  await run.run(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', ns, 'mtu', '65535'], { tolerateFailure: true });
  await run.run(['ip', 'link', 'set', 'dev', hostIf, 'up']);
  await run.run(['ip', 'link', 'set', 'dev', hostIf, 'mtu', String(HOST_MTU)]);
  await run.run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'dev', nsIf, 'up']);
}

/** Creates (or re-creates) the namespace side of the port. */
export async function createNetnsPort(run: PrivilegedRunner, names: NetnsPort, setup: NetnsSetup): Promise<void> {
  const { namespace: ns, hostIf, if2vpn } = names;
  const inNs = (...cmd: string[]): string[] => ['ip', 'netns', 'exec', ns, ...cmd];
  await run.run(['ip', 'netns', 'add', ns], { tolerateFailure: true });
  if (setup.ovsVlan !== undefined) {
    await createVethPair(run, ns, hostIf, RAW_NS_INTERFACE);
    await run.run(inNs('ip', 'link', 'add', 'link', RAW_NS_INTERFACE, 'name', if2vpn, 'type', 'vlan', 'id', String(setup.ovsVlan)));
    await run.run(inNs('ip', 'link', 'set', if2vpn, 'up'));
  } else {
    await createVethPair(run, ns, hostIf, if2vpn);
  }
  if (setup.mac !== undefined) await run.run(inNs('ip', 'link', 'set', if2vpn, 'address', setup.mac));
  await run.run(inNs('ip', 'addr', 'add', setup.ipPrefix, 'dev', if2vpn), { tolerateFailure: true });
  if (setup.defaultRoute) await run.run(inNs('ip', 'route', 'add', 'default', 'dev', if2vpn, 'via', setup.gateway), { tolerateFailure: true });
  await run.run(inNs('ip', 'link', 'set', if2vpn, 'mtu', String(NS_MTU)), { tolerateFailure: true });
}

/** The MAC address of the namespace's interface toward the VPN. */
export async function netnsPortMac(run: PrivilegedRunner, names: NetnsPort): Promise<string> {
  const out = (await run.run(['ip', 'netns', 'exec', names.namespace, 'cat', `/sys/class/net/${names.if2vpn}/address`])).stdout;
  return out.split('\n')[0]!.trim();
}

/** Fails (CommandError) unless the host side exists, as the original checks before sending. */
export async function checkHostInterface(run: PrivilegedRunner, names: NetnsPort): Promise<void> {
  await run.run(['ip', 'link', 'show', names.hostIf]);
}
