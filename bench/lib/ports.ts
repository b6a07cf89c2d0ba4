/**
 * The ports the REST API benchmarks attach and detach, in the three layouts of issue 4: all in
 * one IP VPN, all in one E-VPN, or one IP VPN per port. Port i has MAC 52:54:00:XX:XX:XX and IP
 * 10.X.X.X derived from i, and interface tap<i>; the bodies are what the Neutron agent sends
 * (rest-api.md §6), as JSON text ready to POST.
 */
export type Layout = 'ipvpn' | 'evpn' | 'vpn-per-port';
export const LAYOUTS: readonly Layout[] = ['ipvpn', 'evpn', 'vpn-per-port'];

function mac(i: number): string {
  const h = (i + 1).toString(16).padStart(6, '0');
  return `52:54:00:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

function ip(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function instance(layout: Layout, i: number, name: string): { vpn_type: string; vpn_instance_id: string; rt: string } {
  if (layout === 'ipvpn') return { vpn_type: 'ipvpn', vpn_instance_id: `${name}-ipvpn`, rt: '64512:1' };
  if (layout === 'evpn') return { vpn_type: 'evpn', vpn_instance_id: `${name}-evpn`, rt: '64512:2' };
  return { vpn_type: 'ipvpn', vpn_instance_id: `${name}-vpn-${i}`, rt: `64512:${10000 + i}` };
}

/** The attach of port i; `name` prefixes the instance ids (another name, other instances). */
export function attachBody(layout: Layout, i: number, name = 'bench'): string {
  const { rt, ...inst } = instance(layout, i, name);
  return JSON.stringify({
    ...inst,
    mac_address: mac(i),
    ip_address: ip(i),
    local_port: { linuxif: `tap${i}` },
    import_rt: [rt],
    export_rt: [rt],
    ...(inst.vpn_type === 'ipvpn' ? { gateway_ip: '10.0.0.1' } : {}),
  });
}

export function detachBody(layout: Layout, i: number, name = 'bench'): string {
  const { rt: _rt, ...inst } = instance(layout, i, name);
  return JSON.stringify({ ...inst, mac_address: mac(i), ip_address: ip(i), local_port: { linuxif: `tap${i}` } });
}

/** VPN instances once ports 0..n-1 are attached. */
export function instanceCount(layout: Layout, n: number): number {
  return layout === 'vpn-per-port' ? n : 1;
}
