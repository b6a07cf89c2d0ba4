/**
 * The pure difference between desired and installed E-VPN state (src/dataplane/linux/evpn-state.ts):
 * the exact iproute2 batch lines, in order, for creation, changes, stale entries kept (adoption
 * hold-down) or removed, and cleanup of our devices or of our entries on devices that are not ours.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyDesired, floodKey, parseFdb, plan, type EvpnInstalled, type LinkState } from '../../src/dataplane/linux/evpn-state.js';

const MAC = '02:00:00:00:00:aa';
const own = { name: 'vxlan--n', vni: 10, local: '10.0.0.1', dstPort: 4789, own: true };

function installed(links: LinkState[], over: Partial<EvpnInstalled> = {}): EvpnInstalled {
  return { links: new Map(links.map((l) => [l.name, l])), localMacs: new Map(), remoteMacs: new Map(), neighbours: new Map(), flood: new Set(), ...over };
}
const bridge: LinkState = { name: 'evpn---n', kind: 'bridge', master: undefined, up: true, address: MAC };
const vxlan: LinkState = { name: 'vxlan--n', kind: 'vxlan', master: 'evpn---n', up: true, address: undefined, vxlan: { id: 10, local: '10.0.0.1', port: 4789, learning: false, proxy: true } };
const tap: LinkState = { name: 'tap1', kind: 'veth', master: 'evpn---n', up: true, address: undefined };
const lines = (p: ReturnType<typeof plan>): string[] => [...p.devices, ...p.fdb, ...p.late].map((l) => l.line);

test('from nothing: bridge (pinned MAC), VXLAN device, port, then FDB, then neighbours', () => {
  const d = emptyDesired('evpn---n', own);
  d.ports.add('tap1');
  d.localMacs.set('52:54:00:00:00:01', 'tap1');
  d.remoteMacs.set('52:54:00:00:00:02', { dst: '10.0.0.2', vni: 10 });
  d.neighbours.set('10.1.0.2', '52:54:00:00:00:02');
  d.flood.add(floodKey('10.0.0.2', 10));
  const p = plan(d, installed([]), { keepStale: false, bridgeMac: MAC });
  assert.deepEqual(p.devices.map((l) => l.line), [
    'link add evpn---n type bridge forward_delay 0 stp_state 0',
    `link set evpn---n address ${MAC}`,
    'link set evpn---n up',
    'link add vxlan--n type vxlan id 10 local 10.0.0.1 nolearning proxy dstport 4789',
    'link set vxlan--n master evpn---n',
    'link set vxlan--n up',
    'link set tap1 master evpn---n',
  ]);
  assert.deepEqual(p.fdb.map((l) => l.line), [
    'fdb replace 52:54:00:00:00:01 dev tap1 master static',
    'fdb replace 52:54:00:00:00:02 dev vxlan--n dst 10.0.0.2 vni 10 self permanent',
    'fdb append 00:00:00:00:00:00 dev vxlan--n dst 10.0.0.2 vni 10 self permanent',
  ]);
  assert.deepEqual(p.late.map((l) => l.line), ['neigh replace 10.1.0.2 lladdr 52:54:00:00:00:02 dev vxlan--n nud permanent']);
  assert.deepEqual(p.fdb.map((l) => l.key), ['local 52:54:00:00:00:01', 'remote 52:54:00:00:00:02', 'flood 10.0.0.2']);
});

test('in sync: nothing; a VXLAN device that differs is deleted and re-created; stale entries kept while held, removed after', () => {
  const d = emptyDesired('evpn---n', own);
  d.ports.add('tap1');
  d.remoteMacs.set('52:54:00:00:00:02', { dst: '10.0.0.3', vni: 10 });
  const cur = installed([bridge, vxlan, tap], { remoteMacs: new Map([['52:54:00:00:00:02', { dst: '10.0.0.3', vni: 10 }]]) });
  assert.deepEqual(lines(plan(d, cur, { keepStale: false, bridgeMac: MAC })), []);
  const wrong = installed([bridge, { ...vxlan, vxlan: { ...vxlan.vxlan!, id: 99 } }, tap]);
  assert.deepEqual(plan(d, wrong, { keepStale: false, bridgeMac: MAC }).devices.map((l) => l.line), [
    'link del vxlan--n',
    'link add vxlan--n type vxlan id 10 local 10.0.0.1 nolearning proxy dstport 4789',
    'link set vxlan--n master evpn---n',
    'link set vxlan--n up',
  ]);
  const stale = installed([bridge, vxlan, tap, { ...tap, name: 'tap9' }], {
    remoteMacs: new Map([['52:54:00:00:00:02', { dst: '10.0.0.3', vni: 10 }], ['52:54:00:00:00:09', { dst: '10.0.0.9', vni: 11 }]]),
    neighbours: new Map([['10.1.0.9', '52:54:00:00:00:09']]),
    flood: new Set([floodKey('10.0.0.9', 11)]),
  });
  assert.deepEqual(lines(plan(d, stale, { keepStale: true, bridgeMac: MAC })), []);
  assert.deepEqual(lines(plan(d, stale, { keepStale: false, bridgeMac: MAC })), [
    'fdb del 52:54:00:00:00:09 dev vxlan--n dst 10.0.0.9 vni 11 self',
    'fdb del 00:00:00:00:00:00 dev vxlan--n dst 10.0.0.9 vni 11 self',
    'neigh del 10.1.0.9 dev vxlan--n',
    'link set tap9 nomaster',
  ]);
});

test('cleanup: ports released and our devices deleted (their entries with them); on a reused device only our entries removed', () => {
  const d = emptyDesired('evpn---n', own);
  d.present = false;
  const cur = installed([bridge, vxlan, tap], { remoteMacs: new Map([['52:54:00:00:00:02', { dst: '10.0.0.3', vni: 10 }]]), neighbours: new Map([['10.1.0.2', '52:54:00:00:00:02']]) });
  assert.deepEqual(lines(plan(d, cur, { keepStale: true, bridgeMac: MAC })), ['link set tap1 nomaster', 'link del vxlan--n', 'link del evpn---n']);
  const reused = emptyDesired('brq-x', { ...own, name: 'vxlan-10', own: false });
  reused.present = false;
  const foreign = installed(
    [
      { ...bridge, name: 'brq-x', address: 'aa:aa:aa:aa:aa:aa' },
      { ...vxlan, name: 'vxlan-10', master: 'brq-x' },
      { ...tap, master: 'brq-x' },
    ],
    { localMacs: new Map([['52:54:00:00:00:01', 'tap1']]), remoteMacs: new Map([['52:54:00:00:00:02', { dst: '10.0.0.3', vni: 10 }]]), flood: new Set([floodKey('10.0.0.3', 10)]) },
  );
  assert.deepEqual(lines(plan(reused, foreign, { keepStale: false, bridgeMac: MAC })), [
    'fdb del 52:54:00:00:00:01 dev tap1 master',
    'fdb del 52:54:00:00:00:02 dev vxlan-10 dst 10.0.0.3 vni 10 self',
    'fdb del 00:00:00:00:00:00 dev vxlan-10 dst 10.0.0.3 vni 10 self',
  ]);
});

test('reading bridge fdb JSON: our self entries with a destination (VNI defaulting to the device\'s), static entries on our ports; kernel entries ignored', () => {
  const r = parseFdb(
    [
      { mac: '00:00:00:00:00:00', ifname: 'vxlan--n', dst: '10.0.0.2', flags: ['self'], state: 'permanent' },
      { mac: '52:54:00:00:00:02', ifname: 'vxlan--n', dst: '10.0.0.2', vni: 20, flags: ['self'], state: 'permanent' },
      { mac: 'aa:bb:cc:dd:ee:ff', ifname: 'vxlan--n', master: 'evpn---n', flags: [], state: 'permanent' },
      { mac: '52:54:00:00:00:01', ifname: 'tap1', master: 'evpn---n', flags: [], state: 'static' },
      { mac: '52:54:00:00:00:05', ifname: 'tapX', master: 'evpn---n', flags: [], state: 'static' },
      { mac: '33:33:00:00:00:01', ifname: 'tap1', flags: ['self'], state: 'permanent' },
    ],
    'evpn---n',
    'vxlan--n',
    10,
    new Set(['tap1']),
  );
  assert.deepEqual([...r.flood], ['10.0.0.2 10']);
  assert.deepEqual([...r.remoteMacs], [['52:54:00:00:00:02', { dst: '10.0.0.2', vni: 20 }]]);
  assert.deepEqual([...r.localMacs], [['52:54:00:00:00:01', 'tap1']]);
});
