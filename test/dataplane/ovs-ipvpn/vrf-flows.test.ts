/**
 * The `ovs` IP VPN driver's flows and groups as text (spec dataplane.md §6.4): every line checked
 * exactly, with the original's bugs fixed (no doubled commas, the comma before `output` with a
 * VLAN, the ARP responder answering by the port asked), and the option decisions of §6.1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flowAddLine, flowDeleteLine, groupAddLine, groupDeleteLine } from '../../../src/dataplane/ovs/flow.js';
import { ovsIpvpnSettings, OvsSettingsError } from '../../../src/dataplane/ovs-ipvpn/settings.js';
import { classifierFlows, portMasks } from '../../../src/dataplane/ovs-ipvpn/traffic-classifier.js';
import { insideSubnet } from '../../../src/dataplane/ovs-ipvpn/vrf-dataplane.js';
import {
  arpResponderFlow,
  encapInFlow,
  fallbackFlow,
  FALLBACK_PRIORITY,
  labelAction,
  mplsInputFlow,
  nextHopGroup,
  outputAction,
  portInputFlow,
  prefixFlow,
  prefixPriority,
  vxlanEncapInFlow,
} from '../../../src/dataplane/ovs-ipvpn/vrf-flows.js';
import { DEFAULT_OVS_IPVPN_OPTIONS } from './options.js';

const T = { input: 0, encapIn: 1, vrf: 2 };

const OPTIONS = DEFAULT_OVS_IPVPN_OPTIONS;

test('priorities: longest prefix first, fallback below every prefix', () => {
  assert.equal(prefixPriority(32), 36768);
  assert.equal(prefixPriority(24), 36760);
  assert.equal(prefixPriority(0), 36736);
  assert.equal(FALLBACK_PRIORITY, 0x8f00);
});

test('input flows of a port: in_port saved in reg1 then cleared, VRF id in reg0; with a VLAN: matched and stripped', () => {
  assert.equal(
    flowAddLine(portInputFlow(T, 3, 'ip', 7, undefined)),
    'add table=0,cookie=0x3,priority=36864,ip,in_port=7,actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:3->reg0,resubmit(,2)',
  );
  assert.equal(
    flowAddLine(portInputFlow(T, 3, 'arp', 7, 42)),
    'add table=0,cookie=0x3,priority=36864,arp,in_port=7,dl_vlan=42,actions=pop_vlan,move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:3->reg0,resubmit(,2)',
  );
  assert.equal(flowDeleteLine(portInputFlow(T, 3, 'arp', 7, 42)), 'delete_strict table=0,cookie=0x3/-1,priority=36864,arp,in_port=7,dl_vlan=42');
});

test('MPLS input, encap-in (pop, VLAN push with its comma, gateway MAC), VXLAN twin', () => {
  assert.equal(flowAddLine(mplsInputFlow(T, 5)), 'add table=0,cookie=0x0,priority=36864,mpls,in_port=5,actions=resubmit(,1)');
  assert.equal(
    flowAddLine(encapInFlow(T, 3, 17, '52:54:00:00:00:01', 7, undefined)),
    'add table=1,cookie=0x3,priority=36864,mpls,mpls_label=17,mpls_bos=1,actions=pop_mpls:0x0800,set_field:00:00:5e:00:43:64->eth_src,set_field:52:54:00:00:00:01->eth_dst,output:7',
  );
  assert.equal(
    flowAddLine(encapInFlow(T, 3, 17, '52:54:00:00:00:01', 7, 42)),
    'add table=1,cookie=0x3,priority=36864,mpls,mpls_label=17,mpls_bos=1,actions=pop_mpls:0x0800,push_vlan:0x8100,set_field:4138->vlan_vid,set_field:00:00:5e:00:43:64->eth_src,set_field:52:54:00:00:00:01->eth_dst,output:7',
  );
  assert.equal(
    flowAddLine(vxlanEncapInFlow(T, 3, 9, 17, '52:54:00:00:00:01', 7, undefined)),
    'add table=1,cookie=0x3,priority=36864,in_port=9,tun_id=17,actions=set_field:00:00:5e:00:43:64->eth_src,set_field:52:54:00:00:00:01->eth_dst,output:7',
  );
});

test('ARP responder: gateway only, or every IP with proxy_arp; answers by the port asked (reg1)', () => {
  const actions =
    'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:00:00:5e:00:43:64->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],push:NXM_OF_ARP_TPA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:00:00:5e:00:43:64->arp_sha,pop:NXM_OF_ARP_SPA[]';
  assert.equal(
    flowAddLine(arpResponderFlow(T, 3, '10.0.0.254', false, undefined)),
    `add table=2,cookie=0x3,priority=36864,arp,reg0=3,arp_op=1,arp_tpa=10.0.0.254,actions=${actions},output:NXM_NX_REG1[0..15]`,
  );
  assert.equal(
    flowAddLine(arpResponderFlow(T, 3, '10.0.0.254', true, 42)),
    `add table=2,cookie=0x3,priority=36864,arp,reg0=3,arp_op=1,actions=${actions},push_vlan:0x8100,set_field:4138->vlan_vid,output:NXM_NX_REG1[0..15]`,
  );
});

test('fallback, prefix flows (/0 without nw_dst) and their select groups', () => {
  assert.equal(
    flowAddLine(fallbackFlow(T, 3, { src_mac: '00:00:00:00:00:0a', dst_mac: '00:00:00:00:00:0b', ovs_port_number: 4 }, 42)),
    'add table=2,cookie=0x3,priority=36608,reg0=3,actions=push_vlan:0x8100,set_field:4138->vlan_vid,set_field:00:00:00:00:00:0a->eth_src,set_field:00:00:00:00:00:0b->eth_dst,output:4',
  );
  assert.equal(flowAddLine(prefixFlow(T, 3, '10.1.0.0/16', 12, true)), 'add table=2,cookie=0x3,priority=36752,ip,reg0=3,nw_dst=10.1.0.0/16,actions=dec_ttl,group:12');
  assert.equal(flowAddLine(prefixFlow(T, 3, '0.0.0.0/0', 13, false)), 'add table=2,cookie=0x3,priority=36736,ip,reg0=3,actions=group:13');
  const mpls = outputAction({ kind: 'ethernet', srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', port: 5 });
  const gre = outputAction({ kind: 'tunnel', remotePe: '10.175.0.2', port: 6 });
  const group = nextHopGroup(12, 'hash,fields(ip_src,ip_dst)', '0', [
    { id: 0, actions: [labelAction(100, false), mpls] },
    { id: 1, actions: ['', labelAction(200, false), gre] },
  ]);
  assert.equal(
    groupAddLine(group),
    'add_or_mod group_id=12,type=select,selection_method=hash,fields(ip_src,ip_dst),selection_method_param=0,' +
      'bucket=bucket_id=0,push_mpls:0x8847,set_field:100->mpls_label,set_field:02:00:00:00:00:01->eth_src,set_field:02:00:00:00:00:02->eth_dst,output:5,' +
      'bucket=bucket_id=1,push_mpls:0x8847,set_field:200->mpls_label,set_field:10.175.0.2->tun_dst,output:6',
  );
  assert.equal(groupDeleteLine(12), 'delete group_id=12');
  assert.equal(labelAction(300, true), 'set_field:300->tun_id');
  assert.equal(outputAction({ kind: 'local', inPort: 6, encapIn: 1 }), 'resubmit(6,1)');
});

test('dec_ttl only for prefixes outside the gateway subnet', () => {
  assert.equal(insideSubnet('10.0.0.2/32', '10.0.0.254', 24), true);
  assert.equal(insideSubnet('10.0.0.0/24', '10.0.0.254', 24), true);
  assert.equal(insideSubnet('10.0.0.0/16', '10.0.0.254', 24), false);
  assert.equal(insideSubnet('10.0.1.2/32', '10.0.0.254', 24), false);
  assert.equal(insideSubnet('10.0.0.2/32', null, 24), false);
});

test('options: GRE unless a real mpls_interface with auto; tables; encapsulations; selection method', () => {
  const warnings: string[] = [];
  const gre = ovsIpvpnSettings(OPTIONS);
  assert.equal(gre.useGre, true);
  assert.deepEqual(gre.encaps, ['gre', 'default']);
  assert.deepEqual(gre.tables, { input: 0, encapIn: 1, vrf: 2 });
  assert.equal(gre.selectionMethod, 'dp_hash');
  assert.equal(ovsIpvpnSettings({ ...OPTIONS, mpls_interface: '*gre*' }).useGre, true);
  const bare = ovsIpvpnSettings({ ...OPTIONS, mpls_interface: 'eth1', vxlan_encap: true, hash_method: 'hash', hash_fields: ['ip_src', 'ip_dst'] });
  assert.equal(bare.useGre, false);
  assert.equal(bare.mplsInterface, 'eth1');
  assert.deepEqual(bare.encaps, ['mpls', 'default', 'vxlan']);
  assert.equal(bare.selectionMethod, 'hash,fields(ip_src,ip_dst)');
  // The original's quirk, kept: any value but auto forces GRE, False included.
  const forced = ovsIpvpnSettings({ ...OPTIONS, mpls_interface: 'eth1', mpls_over_gre: 'False' }, (w) => warnings.push(w));
  assert.equal(forced.useGre, true);
  assert.equal(forced.mplsInterface, null);
  assert.deepEqual(warnings, ['mpls_over_gre set to False, ignoring mpls_interface parameter']);
  assert.deepEqual(ovsIpvpnSettings({ ...OPTIONS, gre_tunnel_options: ['packet_type=legacy_l3'] }).greOptions, { packet_type: 'legacy_l3' });
  assert.throws(() => ovsIpvpnSettings({ ...OPTIONS, input_table: 3, ovs_table_id_start: 3 }), OvsSettingsError);
  assert.throws(() => ovsIpvpnSettings({ ...OPTIONS, gre_tunnel_options: ['nonsense'] }), /not key=value/);
});

test('service chaining: port ranges as aligned value/mask blocks, one flow per combination, any field optional', () => {
  assert.deepEqual(portMasks({ min: 80, max: 80 }), ['80']);
  assert.deepEqual(portMasks({ min: 1024, max: 2047 }), ['0x400/0xfc00']);
  assert.deepEqual(portMasks({ min: 1000, max: 1010 }), ['0x3e8/0xfff8', '0x3f0/0xfffe', '1010']);
  assert.deepEqual(portMasks({ min: 0, max: 65535 }), []);
  const lines = (c: Parameters<typeof classifierFlows>[2]): string[] => classifierFlows(T, 3, c, 7).map(flowAddLine);
  assert.deepEqual(lines({ protocol: 'tcp', destinationPrefix: '10.0.2.0/24', sourcePort: { min: 1024, max: 2047 }, destinationPort: { min: 80, max: 81 } }), [
    'add table=2,cookie=0x3,priority=36864,tcp,reg0=3,nw_dst=10.0.2.0/24,tcp_src=0x400/0xfc00,tcp_dst=0x50/0xfffe,actions=set_field:7->reg0,resubmit(,2)',
  ]);
  assert.deepEqual(lines({ protocol: 'udp', destinationPort: { min: 53, max: 54 } }), [
    'add table=2,cookie=0x3,priority=36864,udp,reg0=3,udp_dst=53,actions=set_field:7->reg0,resubmit(,2)',
    'add table=2,cookie=0x3,priority=36864,udp,reg0=3,udp_dst=54,actions=set_field:7->reg0,resubmit(,2)',
  ]);
  // The original crashed without protocol and both ports.
  assert.deepEqual(lines({ sourcePrefix: '10.0.1.0/24' }), ['add table=2,cookie=0x3,priority=36864,ip,reg0=3,nw_src=10.0.1.0/24,actions=set_field:7->reg0,resubmit(,2)']);
  assert.deepEqual(lines({ protocol: '47' }), ['add table=2,cookie=0x3,priority=36864,ip,nw_proto=47,reg0=3,actions=set_field:7->reg0,resubmit(,2)']);
  assert.throws(() => lines({ protocol: 'icmp', destinationPort: { min: 1, max: 1 } }), /ports need tcp, udp or sctp/);
});
