/**
 * `[DATAPLANE_DRIVER_IPVPN]` options of the `ovs` driver for the tests and the benchmark: the
 * defaults of bgp.conf (test/config/load.test.ts checks them against the loader), and what runs on
 * a private userspace Open vSwitch (test/scenario/harness/ovs.ts): MPLS over GRE through OVS's
 * layer-3 GRE port, select groups hashing on the IP addresses (no dp_hash in userspace).
 */
import type { OvsIpvpnOptions } from '../../../src/dataplane/ovs-ipvpn/settings.js';

export const DEFAULT_OVS_IPVPN_OPTIONS: OvsIpvpnOptions = {
  mpls_interface: null,
  mpls_over_gre: 'auto',
  proxy_arp: false,
  arp_responder: false,
  vxlan_encap: false,
  ovs_bridge: 'br-mpls',
  input_table: 0,
  ovs_table_id_start: 1,
  gre_tunnel: 'mpls_gre',
  gre_tunnel_options: [],
  ovsbr_interfaces_mtu: null,
  hash_method: 'dp_hash',
  hash_method_param: '0',
  hash_fields: [],
};

export const USERSPACE_OVS_IPVPN_OPTIONS: OvsIpvpnOptions = {
  ...DEFAULT_OVS_IPVPN_OPTIONS,
  gre_tunnel_options: ['packet_type=legacy_l3'],
  hash_method: 'hash',
  hash_fields: ['ip_src', 'ip_dst'],
};
