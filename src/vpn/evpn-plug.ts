/**
 * Plugging an E-VPN into an IP VPN (spec vpn.md §6): an ipvpn attach whose `local_port` is
 * `{"evpn": {"id": <E-VPN instance id>}}` links the EVI to the VRF through a veth pair (or an OVS
 * port given by the client): the VRF side becomes the endpoint's port, the EVI side the EVI's
 * gateway port. Errors are 500s, as in the original.
 */
import type { LinkPlumbing } from '../dataplane/links.js';
import { InternalError } from './errors.js';
import { Evi } from './evi.js';
import type { VpnInstance } from './vpn-instance.js';
import type { Vrf } from './vrf.js';

export interface EvpnPlug {
  readonly evi: Evi;
  /** The EVI's gateway port. */
  readonly evpnSide: string;
  /** The VRF endpoint's port (`local_port.linuxif`). */
  readonly vrfSide: string;
  /** A veth pair we created (deleted when unplugged), rather than an OVS port of the client. */
  readonly veth: boolean;
}

export interface EvpnPlugRequest {
  readonly evi: Evi;
  /** `local_port.evpn.ovs_port_name`, when the client gives the E-VPN side itself. */
  readonly ovsPortName: string | undefined;
  /** VRF side in that case: `local_port.ovs.port_name` (or the port number). */
  readonly ovsVrfSide: string | undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** vpn.md §6 step 1: the checks that need no VRF. */
export function evpnPlugRequest(localPort: Readonly<Record<string, unknown>>, vpnInstanceId: string, instances: ReadonlyMap<string, VpnInstance>): EvpnPlugRequest {
  const spec = obj(localPort.evpn);
  const id = spec?.id;
  if (typeof id !== 'string') throw new InternalError("local_port.evpn has no 'id' (the E-VPN instance to plug)");
  const evi = instances.get(id);
  if (!evi) throw new InternalError(`local_port.evpn: no E-VPN instance '${id}'`);
  if (!(evi instanceof Evi)) throw new InternalError(`local_port.evpn: instance '${id}' is not an E-VPN`);
  if ('linuxif' in localPort) throw new InternalError("local_port: 'linuxif' cannot be given with 'evpn' (the daemon names the interface)");
  if (evi.gatewayPort && evi.gatewayPort.vrf.vpnInstanceId !== vpnInstanceId) {
    throw new InternalError(`E-VPN ${id} is already plugged into IP VPN ${evi.gatewayPort.vrf.vpnInstanceId}`);
  }
  const ovsPortName = typeof spec?.ovs_port_name === 'string' ? spec.ovs_port_name : undefined;
  let ovsVrfSide: string | undefined;
  if (ovsPortName !== undefined) {
    const ovs = obj(localPort.ovs);
    const name = ovs?.port_name;
    const number = ovs?.port_number;
    if (ovs?.plugged !== true || (typeof name !== 'string' && typeof number !== 'number')) {
      throw new InternalError("local_port.evpn.ovs_port_name needs local_port.ovs with 'plugged' true and 'port_name' or 'port_number'");
    }
    ovsVrfSide = typeof name === 'string' ? name : `ovs-port-${String(number)}`;
  }
  return { evi, ovsPortName, ovsVrfSide };
}

/**
 * Plugs (or finds, when the same EVI is already plugged: idempotent) the link between the EVI and
 * the VRF; returns the VRF-side interface name.
 */
export async function plugEvpn(vrf: Vrf, req: EvpnPlugRequest, links: LinkPlumbing | undefined): Promise<string> {
  let current = vrf.evpnPlug;
  if (current?.evi.isStopped) {
    // The E-VPN it linked was removed since (its last endpoint left): a stale link, replaced.
    vrf.evpnPlug = undefined;
    if (current.veth) await links?.deleteLink(current.evpnSide);
    current = undefined;
  }
  if (current) {
    if (current.evi !== req.evi) throw new InternalError(`IP VPN ${vrf.vpnInstanceId} already has E-VPN ${current.evi.vpnInstanceId} plugged`);
    return current.vrfSide;
  }
  let plug: EvpnPlug;
  if (req.ovsPortName !== undefined && req.ovsVrfSide !== undefined) {
    plug = { evi: req.evi, evpnSide: req.ovsPortName, vrfSide: req.ovsVrfSide, veth: false };
  } else {
    if (!links) throw new InternalError('plugging an E-VPN into an IP VPN needs privileged commands, not available here');
    const e = req.evi.settings.instanceId;
    const v = vrf.settings.instanceId;
    plug = { evi: req.evi, evpnSide: `evpn${e}-ipvpn${v}`, vrfSide: `ipvpn${v}-evpn${e}`, veth: true };
    await links.createVethPair(plug.evpnSide, plug.vrfSide);
  }
  try {
    await req.evi.setGatewayPort(plug.evpnSide, vrf);
  } catch (e) {
    if (plug.veth) await links?.deleteLink(plug.evpnSide).catch(() => undefined);
    throw e;
  }
  vrf.evpnPlug = plug;
  return plug.vrfSide;
}

/** Undoes the plug once the VRF has no endpoint left on its side (detach, failed first attach). */
export async function unplugEvpnIfUnused(vrf: Vrf, links: LinkPlumbing | undefined): Promise<void> {
  const plug = vrf.evpnPlug;
  if (!plug || (vrf.ports.get(plug.vrfSide)?.size ?? 0) > 0) return;
  vrf.evpnPlug = undefined;
  if (!plug.evi.isStopped) await plug.evi.gatewayPortDown();
  if (plug.veth) await links?.deleteLink(plug.evpnSide);
}
