/**
 * What the `ovs` IP VPN driver makes of its options (spec dataplane.md §6.1, config.md §1.4),
 * decided once at start, without I/O:
 *
 * - MPLS over GRE or bare MPLS: `mpls_over_gre` other than `auto` forces GRE (the original's
 *   behaviour, `False` included: a configuration written for it works the same here); with
 *   `auto`, GRE iff `mpls_interface` is unset, empty or `*gre*`. With GRE a real
 *   `mpls_interface` is ignored (warning).
 * - Tables: input (`input_table`), encap-in (`ovs_table_id_start`), VRF (start + 1); the first two
 *   must differ (checked when the configuration is loaded).
 * - Encapsulations: GRE mode {GRE, Default}, bare mode {MPLS, Default}, plus VXLAN with
 *   `vxlan_encap`. Default (no encapsulation community) is accepted and sent as GRE / MPLS.
 * - Select groups: `selection_method=<hash_method>[,fields(<hash_fields>)]` (fields only with
 *   `hash`), `selection_method_param=<hash_method_param>`.
 */
import type { IpvpnOvsOptions } from '../../config/options.js';
import type { Encapsulation } from '../driver.js';

/** The `[DATAPLANE_DRIVER_IPVPN]` options of the ovs driver (config.md §1.4) that decide its flows. */
export type OvsIpvpnOptions = Omit<IpvpnOvsOptions, 'driver' | 'dataplane_driver' | 'dataplane_local_address' | 'adoption_hold_time'>;

export interface OvsTables {
  readonly input: number;
  readonly encapIn: number;
  readonly vrf: number;
}

export interface OvsIpvpnSettings {
  readonly bridge: string;
  readonly useGre: boolean;
  /** The bare MPLS interface (a port of the bridge); null with GRE. */
  readonly mplsInterface: string | null;
  readonly greTunnel: string;
  readonly greOptions: Readonly<Record<string, string>>;
  readonly vxlanEncap: boolean;
  readonly tables: OvsTables;
  readonly arpResponder: boolean;
  readonly proxyArp: boolean;
  readonly selectionMethod: string;
  readonly selectionMethodParam: string;
  readonly mtu: number | null;
  readonly encaps: readonly Encapsulation[];
}

export class OvsSettingsError extends Error {
  override readonly name = 'OvsSettingsError';
}

/** The name of the OVS VXLAN port (`vxlan_encap`). */
export const VXLAN_TUNNEL = 'vxlan';

export function ovsIpvpnSettings(o: OvsIpvpnOptions, warn: (msg: string) => void = () => undefined): OvsIpvpnSettings {
  const iface = o.mpls_interface ?? '';
  const gre = o.mpls_over_gre !== 'auto' || iface === '' || iface === '*gre*';
  if (gre && iface !== '' && iface !== '*gre*') warn(`mpls_over_gre set to ${o.mpls_over_gre}, ignoring mpls_interface parameter`);
  if (o.ovs_table_id_start === o.input_table) {
    throw new OvsSettingsError(`invalid ovs_table_id_start (${o.ovs_table_id_start}): can't use tables same as input table (${o.input_table})`);
  }
  const greOptions: Record<string, string> = {};
  for (const kv of o.gre_tunnel_options) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new OvsSettingsError(`gre_tunnel_options: '${kv}' is not key=value`);
    greOptions[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  const fields = o.hash_method === 'hash' && o.hash_fields.length > 0 ? `,fields(${o.hash_fields.join(',')})` : '';
  return {
    bridge: o.ovs_bridge,
    useGre: gre,
    mplsInterface: gre ? null : iface,
    greTunnel: o.gre_tunnel,
    greOptions,
    vxlanEncap: o.vxlan_encap,
    tables: { input: o.input_table, encapIn: o.ovs_table_id_start, vrf: o.ovs_table_id_start + 1 },
    arpResponder: o.arp_responder,
    proxyArp: o.proxy_arp,
    selectionMethod: `${o.hash_method}${fields}`,
    selectionMethodParam: o.hash_method_param,
    mtu: o.ovsbr_interfaces_mtu,
    encaps: [gre ? 'gre' : 'mpls', 'default', ...(o.vxlan_encap ? (['vxlan'] as const) : [])],
  };
}
