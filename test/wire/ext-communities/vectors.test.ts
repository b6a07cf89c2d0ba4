/**
 * One byte vector per extended-community type and variant: each drives decode AND encode.
 * 'bagpipe' vectors are the original daemon's captures (spec/engine.md §4.1); the others are
 * written by hand from the RFC layouts (the RFCs give no hex examples).
 */
import { decodeExtCommunity, encodeExtCommunity, type ExtCommunity } from '../../../src/wire/ext-communities/index.js';
import type { Label24 } from '../../../src/wire/label.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';

const label = (n: number): Label24 => n as Label24;

const VECTORS: Vector<ExtCommunity>[] = [
  // spec/engine.md §4.1, captured from the original daemon
  { name: 'encapsulation MPLS', source: 'bagpipe', hex: '030c00000000000a', json: { type: 'encapsulation', tunnelType: 'mpls' } },
  { name: 'encapsulation VXLAN', source: 'bagpipe', hex: '030c000000000008', json: { type: 'encapsulation', tunnelType: 'vxlan' } },
  { name: 'route target 64512:1', source: 'bagpipe', hex: '0002fc0000000001', json: { type: 'route-target', form: 0, value: '64512:1' } },
  { name: 'route target 64512:52', source: 'bagpipe', hex: '0002fc0000000034', json: { type: 'route-target', form: 0, value: '64512:52' } },
  { name: 'redirect to VRF 64512:51', source: 'bagpipe', hex: '8008fc0000000033', json: { type: 'redirect-to-vrf', form: 0, value: '64512:51' } },
  { name: 'consistent hash sort order 2', source: 'bagpipe', hex: '0314000000020000', json: { type: 'consistent-hash-sort-order', order: 2 } },

  // RFC 4360 §4 / RFC 5668: the three route-target forms and the non-transitive twin
  { name: 'route target IPv4 form', source: 'hand', hex: '0102c00002010005', json: { type: 'route-target', form: 1, value: '192.0.2.1:5' } },
  { name: 'route target 4-octet AS form', source: 'hand', hex: '0202fa56ea000001', json: { type: 'route-target', form: 2, value: '4200000000:1' } },
  { name: 'route target 4-octet form, small AS', source: 'hand', hex: '02020000fc000001', json: { type: 'route-target', form: 2, value: '64512:1' } },
  { name: 'route target max values', source: 'hand', hex: '0002ffffffffffff', json: { type: 'route-target', form: 0, value: '65535:4294967295' } },
  {
    name: 'route target non-transitive (0x40)',
    source: 'hand',
    hex: '4002fc0000000001',
    json: { type: 'route-target', form: 0, value: '64512:1', transitive: false },
  },
  {
    name: 'route target non-transitive IPv4 form (0x41)',
    source: 'hand',
    hex: '41020a0000010007',
    json: { type: 'route-target', form: 1, value: '10.0.0.1:7', transitive: false },
  },
  // RFC 4360 §5: route origin
  { name: 'route origin', source: 'hand', hex: '0003fc0000000064', json: { type: 'route-origin', form: 0, value: '64512:100' } },
  { name: 'route origin IPv4 form', source: 'hand', hex: '0103c00002010001', json: { type: 'route-origin', form: 1, value: '192.0.2.1:1' } },
  {
    name: 'route origin 4-octet non-transitive',
    source: 'hand',
    hex: '420300010000000a',
    json: { type: 'route-origin', form: 2, value: '65536:10', transitive: false },
  },
  // RT-record (sub-type 0x13), all forms
  { name: 'RT-record', source: 'hand', hex: '0013fc0000000033', json: { type: 'rt-record', form: 0, value: '64512:51' } },
  { name: 'RT-record IPv4 form', source: 'hand', hex: '01137f004d010002', json: { type: 'rt-record', form: 1, value: '127.0.77.1:2' } },
  { name: 'RT-record 4-octet form', source: 'hand', hex: '0213fa56ea000002', json: { type: 'rt-record', form: 2, value: '4200000000:2' } },

  // RFC 9012 §4.1: encapsulation
  { name: 'encapsulation GRE', source: 'hand', hex: '030c000000000002', json: { type: 'encapsulation', tunnelType: 'gre' } },
  { name: 'encapsulation MPLS-in-UDP', source: 'hand', hex: '030c00000000000d', json: { type: 'encapsulation', tunnelType: 'mpls-in-udp' } },
  { name: 'encapsulation MPLS-in-GRE', source: 'hand', hex: '030c00000000000b', json: { type: 'encapsulation', tunnelType: 'mpls-in-gre' } },
  { name: 'encapsulation Geneve', source: 'hand', hex: '030c000000000013', json: { type: 'encapsulation', tunnelType: 'geneve' } },
  { name: 'encapsulation default (0)', source: 'hand', hex: '030c000000000000', json: { type: 'encapsulation', tunnelType: 0 } },
  { name: 'encapsulation unnamed type', source: 'hand', hex: '030c0000000000ff', json: { type: 'encapsulation', tunnelType: 255 } },
  {
    name: 'encapsulation with reserved bytes set',
    source: 'hand',
    hex: '030c800000010008',
    json: { type: 'encapsulation', tunnelType: 'vxlan', reserved: '800000010000' },
  },
  // draft-ietf-bess-service-chaining: consistent hash sort order with reserved bytes
  {
    name: 'consistent hash sort order with reserved',
    source: 'hand',
    hex: '0314ffffffff0001',
    json: { type: 'consistent-hash-sort-order', order: 4294967295, reserved: '000000000001' },
  },
  // RFC 7432 §7.8
  { name: 'default gateway', source: 'hand', hex: '030d000000000000', json: { type: 'default-gateway' } },
  { name: 'default gateway, non-zero value', source: 'hand', hex: '030d000000000001', json: { type: 'default-gateway', reserved: '000000000001' } },

  // RFC 7432 §7.7: MAC mobility
  { name: 'MAC mobility seq 5', source: 'hand', hex: '0600000000000005', json: { type: 'mac-mobility', sticky: false, sequence: 5 } },
  { name: 'MAC mobility sticky', source: 'hand', hex: '0600010000000000', json: { type: 'mac-mobility', sticky: true, sequence: 0 } },
  {
    name: 'MAC mobility max seq, other flags set',
    source: 'hand',
    hex: '06008301ffffffff',
    json: { type: 'mac-mobility', sticky: true, sequence: 4294967295, reserved: '820100000000' },
  },
  // RFC 7432 §7.5: ESI label
  { name: 'ESI label (MPLS 100, BoS)', source: 'hand', hex: '0601000000000641', json: { type: 'esi-label', singleActive: false, label: label(0x641) } },
  { name: 'ESI label single-active', source: 'hand', hex: '0601010000001388', json: { type: 'esi-label', singleActive: true, label: label(5000) } },
  // RFC 7432 §7.6, RFC 9135 §8.1
  { name: 'ES-import route target', source: 'hand', hex: '06020a0b0c0d0e0f', json: { type: 'es-import-route-target', mac: '0a:0b:0c:0d:0e:0f' } },
  { name: "router's MAC", source: 'hand', hex: '0603525400000002', json: { type: 'router-mac', mac: '52:54:00:00:00:02' } },

  // RFC 8955 §7.3: rate limits (float32 kept exactly)
  { name: 'traffic-rate-bytes 0 (discard)', source: 'hand', hex: '8006000000000000', json: { type: 'traffic-rate-bytes', id: 0, rate: 0 } },
  { name: 'traffic-rate-bytes 1000', source: 'hand', hex: '8006fc00447a0000', json: { type: 'traffic-rate-bytes', id: 64512, rate: 1000 } },
  {
    name: 'traffic-rate-bytes inexact decimal',
    source: 'hand',
    hex: '80060001 3f800001',
    json: { type: 'traffic-rate-bytes', id: 1, rate: 1.0000001192092896 },
  },
  {
    name: 'traffic-rate-bytes smallest subnormal',
    source: 'hand',
    hex: '8006000000000001',
    json: { type: 'traffic-rate-bytes', id: 0, rate: 1.401298464324817e-45 },
  },
  { name: 'traffic-rate-bytes NaN kept as hex', source: 'hand', hex: '800600007fc00001', json: { type: 'traffic-rate-bytes', id: 0, rateHex: '7fc00001' } },
  { name: 'traffic-rate-bytes +Infinity as hex', source: 'hand', hex: '800600007f800000', json: { type: 'traffic-rate-bytes', id: 0, rateHex: '7f800000' } },
  { name: 'traffic-rate-bytes -0 as hex', source: 'hand', hex: '8006000080000000', json: { type: 'traffic-rate-bytes', id: 0, rateHex: '80000000' } },
  { name: 'traffic-rate-bytes negative', source: 'hand', hex: '80060000c2c80000', json: { type: 'traffic-rate-bytes', id: 0, rate: -100 } },
  { name: 'traffic-rate-packets 100', source: 'hand', hex: '800c000742c80000', json: { type: 'traffic-rate-packets', id: 7, rate: 100 } },
  // RFC 8955 §7.4: traffic-action
  { name: 'traffic-action none', source: 'hand', hex: '8007000000000000', json: { type: 'traffic-action', terminal: false, sample: false } },
  { name: 'traffic-action terminal', source: 'hand', hex: '8007000000000001', json: { type: 'traffic-action', terminal: true, sample: false } },
  { name: 'traffic-action sample', source: 'hand', hex: '8007000000000002', json: { type: 'traffic-action', terminal: false, sample: true } },
  {
    name: 'traffic-action both, reserved bit',
    source: 'hand',
    hex: '8007000000000007',
    json: { type: 'traffic-action', terminal: true, sample: true, reserved: '000000000004' },
  },
  // RFC 7674 §3: redirect to VRF, other forms
  { name: 'redirect to VRF IPv4 form', source: 'hand', hex: '8108c00002010005', json: { type: 'redirect-to-vrf', form: 1, value: '192.0.2.1:5' } },
  { name: 'redirect to VRF 4-octet AS form', source: 'hand', hex: '8208fa56ea000001', json: { type: 'redirect-to-vrf', form: 2, value: '4200000000:1' } },
  // RFC 8955 §7.5: traffic-marking
  { name: 'traffic-marking DSCP 46', source: 'hand', hex: '800900000000002e', json: { type: 'traffic-marking', dscp: 46 } },
  { name: 'traffic-marking reserved bits', source: 'hand', hex: '80090000000000ff', json: { type: 'traffic-marking', dscp: 63, reserved: '0000000000c0' } },
  // draft-simpson-idr-flowspec-redirect, draft-ietf-idr-flowspec-redirect-ip (ExaBGP layouts)
  { name: 'redirect to next hop', source: 'hand', hex: '0800000000000000', json: { type: 'redirect-to-nexthop', copy: false } },
  { name: 'copy to next hop', source: 'hand', hex: '0800000000000001', json: { type: 'redirect-to-nexthop', copy: true } },
  { name: 'redirect to IPv4', source: 'hand', hex: '010cc00002010000', json: { type: 'redirect-to-ip', ip: '192.0.2.1', copy: false } },
  { name: 'copy to IPv4', source: 'hand', hex: '010c0a0000020001', json: { type: 'redirect-to-ip', ip: '10.0.0.2', copy: true } },

  // Unknown types stay opaque (RFC 7606 §7.14), including twins that have no shared layout
  { name: 'opaque: color (0x03/0x0b)', source: 'hand', hex: '030b000000000064', json: { type: 'opaque', hex: '030b000000000064' } },
  { name: 'opaque: non-transitive opaque 0x43/0x0c', source: 'hand', hex: '430c000000000008', json: { type: 'opaque', hex: '430c000000000008' } },
  { name: 'opaque: origin validation 0x43/0x00', source: 'hand', hex: '4300000000000002', json: { type: 'opaque', hex: '4300000000000002' } },
  { name: 'opaque: 0x46 (no E-VPN twin)', source: 'hand', hex: '4600000000000005', json: { type: 'opaque', hex: '4600000000000005' } },
  { name: 'opaque: 0xc0/0x08 (no redirect twin)', source: 'hand', hex: 'c008fc0000000033', json: { type: 'opaque', hex: 'c008fc0000000033' } },
  { name: 'opaque: link bandwidth 0x40/0x04', source: 'hand', hex: '4004fc00461c4000', json: { type: 'opaque', hex: '4004fc00461c4000' } },
  { name: 'opaque: all ones', source: 'hand', hex: 'ffffffffffffffff', json: { type: 'opaque', hex: 'ffffffffffffffff' } },
];

vectorTests('ext-community', VECTORS, decodeExtCommunity, encodeExtCommunity);
