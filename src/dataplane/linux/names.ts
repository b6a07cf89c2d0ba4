/**
 * Kernel device names of the `linux` E-VPN driver (spec dataplane.md §4), kept from the original
 * so that an operator's scripts and the original's cleanup recognise them: bridge
 * `evpn---<vpn_instance_id>`, VXLAN device `vxlan--<vpn_instance_id>`, both cut at 15 characters
 * (IFNAMSIZ − 1). Only bridges whose name contains `evpn---` are ours (a `linuxbr` given by the API,
 * typically the Neutron Linux bridge agent's `brq…`, is not: its ports and itself are left alone).
 */
import { createHash } from 'node:crypto';

export const LINUX_DEV_LEN = 15;
export const BRIDGE_PREFIX = 'evpn---';
export const VXLAN_PREFIX = 'vxlan--';

export function bridgeName(vpnInstanceId: string): string {
  return (BRIDGE_PREFIX + vpnInstanceId).slice(0, LINUX_DEV_LEN);
}

export function vxlanName(vpnInstanceId: string): string {
  return (VXLAN_PREFIX + vpnInstanceId).slice(0, LINUX_DEV_LEN);
}

export function isOurBridge(name: string): boolean {
  return name.includes(BRIDGE_PREFIX);
}

export function isOurVxlan(name: string): boolean {
  return name.includes(VXLAN_PREFIX);
}

export class DeviceNameError extends Error {
  override readonly name = 'DeviceNameError';
}

/**
 * What Linux accepts as an interface name (dev_valid_name: 1-15 bytes, not `.`/`..`, no `/`, `:`
 * or white space), further limited to what iproute2's batch parser reads as one plain word (no
 * quotes, `#` or `\`). The original passed names through a shell unchecked.
 */
export function checkDeviceName(name: string): string {
  if (name === '' || name === '.' || name === '..' || Buffer.byteLength(name) > LINUX_DEV_LEN || /[\s/:"'#\\]/.test(name)) {
    throw new DeviceNameError(`not a usable Linux interface name: ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * The MAC pinned on a bridge of ours: locally administered, derived from the bridge name, so that
 * a restarted daemon computes the same one. Without it the bridge takes the lowest MAC of its
 * ports and changes it when a port leaves (LAB-NOTES "Linux VXLAN in namespaces").
 */
export function pinnedBridgeMac(bridge: string): string {
  const h = createHash('sha256').update(`bagpipe-bgp bridge ${bridge}`).digest();
  const bytes = [0x02, h[0]!, h[1]!, h[2]!, h[3]!, h[4]!];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** A MAC in the kernel's lower-case colon form; throws on anything else. */
export function normalMac(mac: string): string {
  const m = mac.toLowerCase();
  if (!MAC.test(m)) throw new DeviceNameError(`not a MAC address: ${JSON.stringify(mac)}`);
  return m;
}
