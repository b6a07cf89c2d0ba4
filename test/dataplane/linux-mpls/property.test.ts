/**
 * Property: whatever the sequence of plugs, unplugs, next-hop additions and removals (ECMP next
 * hops added and removed one by one, local PE included), the net effect of the commands the
 * driver produced, applied to the kernel model, equals the desired state computed here from the
 * sequence alone, after every step; and after cleanup nothing of the VRF is left. The sequences
 * keep the VPN layer's invariants (a MAC on one port, an IP on one MAC, one label per MAC).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MplsLinuxDataplaneDriver } from '../../../src/dataplane/linux-mpls/mpls-linux-driver.js';
import { memoryLogger } from '../../../src/util/logger.js';
import { KernelModel, type ModelNextHop, type ModelRoute } from './kernel-model.js';

const LOCAL = '192.0.2.1';
const PORTS = ['tap0', 'tap1', 'tap2'];
const MACS = ['52:54:00:00:00:00', '52:54:00:00:00:01', '52:54:00:00:00:02', '52:54:00:00:00:03'];
const IPS = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13', null];
const PREFIXES = ['10.1.0.0/24', '10.2.0.0/16', '0.0.0.0/0'];
const PES = [LOCAL, '192.0.2.2', '192.0.2.3'];
const LABELS = [200, 201];

type Op =
  | { op: 'plug'; port: number; mac: number; ip: number }
  | { op: 'unplug'; mac: number; ip: number }
  | { op: 'add'; prefix: number; pe: number; label: number }
  | { op: 'remove'; prefix: number; pe: number; label: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('plug' as const), port: fc.nat(PORTS.length - 1), mac: fc.nat(MACS.length - 1), ip: fc.nat(IPS.length - 1) }),
  fc.record({ op: fc.constant('unplug' as const), mac: fc.nat(MACS.length - 1), ip: fc.nat(IPS.length - 1) }),
  fc.record({ op: fc.constant('add' as const), prefix: fc.nat(PREFIXES.length - 1), pe: fc.nat(PES.length - 1), label: fc.nat(LABELS.length - 1) }),
  fc.record({ op: fc.constant('remove' as const), prefix: fc.nat(PREFIXES.length - 1), pe: fc.nat(PES.length - 1), label: fc.nat(LABELS.length - 1) }),
);

/** The desired state, from the operations alone. */
class Expected {
  /** "mac|ip" → port. */
  readonly endpoints = new Map<string, string>();
  readonly everPlugged = new Set<string>();
  /** prefix → "pe label" next hops. */
  readonly routes = new Map<string, Set<string>>();

  macPort(mac: string): string | undefined {
    for (const [k, p] of this.endpoints) if (k.startsWith(`${mac}|`)) return p;
    return undefined;
  }
  ipMac(ip: string): string | undefined {
    for (const k of this.endpoints.keys()) if (k.endsWith(`|${ip}`)) return k.split('|')[0];
    return undefined;
  }
}

const label = (mac: string): number => 100 + MACS.indexOf(mac);

function nhKey(nh: ModelNextHop): string {
  // The model's next hop back to "pe label": a local PE is `encap mpls L dev lo`.
  return `${nh.dev === 'lo' ? LOCAL : nh.via} ${nh.encap}`;
}

function checkState(kernel: KernelModel, exp: Expected, where: string): void {
  const msg = (what: string): string => `${where}: ${what}\n${kernel.lines().slice(-30).join('\n')}`;
  const plugged = new Set(exp.endpoints.values());
  for (const p of PORTS) {
    const l = kernel.links.get(p)!;
    if (plugged.has(p)) {
      assert.equal(l.master, 'bvrf-1', msg(`${p} master`));
      assert.equal(l.up, true, msg(`${p} up`));
      assert.deepEqual([...l.addrs], ['10.0.0.254/24'], msg(`${p} gateway address`));
      assert.equal(kernel.sysctls.get(`net.ipv4.conf.${p}.proxy_arp`), '1', msg(`${p} proxy_arp`));
      assert.equal(kernel.sysctls.get(`net.ipv4.conf.${p}.proxy_arp_pvlan`), '1', msg(`${p} proxy_arp_pvlan`));
    } else if (exp.everPlugged.has(p)) {
      assert.equal(l.master, undefined, msg(`${p} released`));
      assert.equal(l.up, false, msg(`${p} down`));
      assert.deepEqual([...l.addrs], [], msg(`${p} no address`));
      assert.equal(kernel.sysctls.get(`net.ipv4.conf.${p}.proxy_arp`), '0', msg(`${p} proxy_arp off`));
    } else assert.deepEqual(l, { kind: 'veth', up: false, addrs: new Set() }, msg(`${p} untouched`));
  }
  const neighbours = new Map<string, string>();
  const pops = new Map<number, { dev: string; ips: Set<string> }>();
  for (const [k, port] of exp.endpoints) {
    const [mac, ip] = k.split('|') as [string, string];
    if (ip === '') continue;
    neighbours.set(`${port} ${ip}`, mac);
    const pop = pops.get(label(mac)) ?? { dev: port, ips: new Set<string>() };
    pop.ips.add(ip);
    pops.set(label(mac), pop);
  }
  assert.deepEqual(new Map([...kernel.neighbours].sort()), new Map([...neighbours].sort()), msg('neighbours'));
  assert.deepEqual([...kernel.mpls.keys()].sort(), [...pops.keys()].sort(), msg('MPLS labels'));
  for (const [l, m] of kernel.mpls) {
    assert.equal(m.dev, pops.get(l)!.dev, msg(`label ${l} device`));
    assert.ok(pops.get(l)!.ips.has(m.via), msg(`label ${l} via an address of its MAC`));
    assert.equal(m.proto, 19);
  }
  const table = kernel.routes.get(1001) ?? new Map<string, ModelRoute>();
  const routes = new Map([...table].map(([dst, r]) => [dst === 'default' ? '0.0.0.0/0' : dst, new Set(r.nexthops.map(nhKey))]));
  assert.deepEqual(new Map([...routes].sort()), new Map([...exp.routes].sort()), msg('routes of table 1001'));
  for (const r of table.values()) assert.equal(r.proto, 19);
}

async function apply(vrf: Awaited<ReturnType<MplsLinuxDataplaneDriver['createInstance']>>, exp: Expected, o: Op): Promise<void> {
  if (o.op === 'plug' || o.op === 'unplug') {
    const mac = MACS[o.mac]!;
    const ip = IPS[o.ip]!;
    const key = `${mac}|${ip ?? ''}`;
    if (o.op === 'plug') {
      const port = PORTS[o.port]!;
      const owner = exp.macPort(mac);
      if (owner !== undefined && owner !== port) return; // a MAC is on one port (vpn layer: 400)
      if (ip !== null && exp.ipMac(ip) !== undefined && exp.ipMac(ip) !== mac) return; // an IP on one MAC
      await vrf.vifPlugged(mac, ip, { linuxif: port }, label(mac), 'both');
      exp.endpoints.set(key, port);
      exp.everPlugged.add(port);
    } else {
      const port = exp.endpoints.get(key);
      if (port === undefined) return; // the vpn layer refuses unplugs of unknown endpoints
      const last = [...exp.endpoints.values()].filter((p) => p === port).length === 1;
      await vrf.vifUnplugged(mac, ip, { linuxif: port }, label(mac), 'both', last);
      exp.endpoints.delete(key);
    }
    return;
  }
  const prefix = PREFIXES[o.prefix]!;
  const pe = PES[o.pe]!;
  const l = LABELS[o.label]!;
  const set = exp.routes.get(prefix) ?? new Set<string>();
  if (o.op === 'add') {
    await vrf.setupRemoteEndpoint(prefix, pe, l, ['mpls'], 0);
    set.add(`${pe} ${l}`);
  } else {
    await vrf.removeRemoteEndpoint(prefix, pe, l, ['mpls'], 0);
    set.delete(`${pe} ${l}`);
  }
  if (set.size > 0) exp.routes.set(prefix, set);
  else exp.routes.delete(prefix);
}

test('any sequence of plugs, unplugs, next-hop additions and removals: the kernel ends as desired, and clean after cleanup', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), async (ops) => {
      const kernel = new KernelModel(['eth1', ...PORTS]);
      const driver = new MplsLinuxDataplaneDriver({ localAddress: LOCAL, mplsInterface: 'eth1', config: {}, executor: kernel, log: memoryLogger() });
      await driver.initialize();
      const vrf = await driver.createInstance({ instanceId: 1, vpnInstanceId: 'v', gatewayIp: '10.0.0.254', subnetLength: 24, instanceLabel: 16 });
      const exp = new Expected();
      for (const [i, o] of ops.entries()) {
        await apply(vrf, exp, o);
        checkState(kernel, exp, `after op ${i} ${JSON.stringify(o)}`);
      }
      // Every command that failed was a tolerated one (the leftover-device delete at creation).
      assert.deepEqual(kernel.log.filter((l) => !l.ok).map((l) => l.line), ['ip link del bvrf-1']);
      await vrf.cleanup();
      assert.equal(kernel.links.has('bvrf-1'), false);
      assert.deepEqual(kernel.rules, []);
      assert.equal(kernel.routes.get(1001)?.size ?? 0, 0);
      assert.equal(kernel.mpls.size, 0);
      assert.equal(kernel.neighbours.size, 0);
      for (const p of PORTS) {
        const l = kernel.links.get(p)!;
        assert.equal(l.master, undefined);
        assert.equal(l.addrs.size, 0);
        if (exp.everPlugged.has(p)) assert.equal(l.up, false);
      }
    }),
    { numRuns: 300 },
  );
});
