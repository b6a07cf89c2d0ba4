/**
 * The namespace topology harness itself (test/scenario/harness/netns-topology.ts): underlay and
 * node namespaces, GoBGP inside the underlay, our daemon inside the nodes (dummy drivers here, the
 * dataplane tests use the linux one), endpoints made by the real `bagpipe-rest-attach --port
 * netns`, ping and TCP helpers, and a teardown that leaves no namespace behind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetnsTopology } from './harness/netns-topology.js';
import { run, Teardown } from './harness/process.js';

test('namespace topology: RR in the underlay, our daemons in the nodes, endpoints by rest-attach, ping and TCP, nothing left after teardown', { timeout: 90_000 }, async () => {
  const td = new Teardown();
  const suffix = `h${process.pid % 10_000}`;
  let topo: NetnsTopology | undefined;
  try {
    topo = await NetnsTopology.create(td, 2, suffix);
    const [n1, n2] = topo.nodes as [NonNullable<(typeof topo.nodes)[0]>, NonNullable<(typeof topo.nodes)[0]>];
    // The nodes reach each other on the underlay, and nothing else.
    assert.equal((await n1.exec(['ping', '-c', '1', '-W', '1', n2.address])).code, 0);
    assert.equal((await n1.execOk(['ip', 'route', 'show', 'default'])).trim(), '', 'no default route in a node');
    await topo.startRouteReflector();
    await topo.startOurDaemon(n1, { evpnDriver: 'dummy' });
    await topo.startOurDaemon(n2, { evpnDriver: 'dummy' });
    await topo.waitEstablished();

    const spec = { vpnInstanceId: 'net1', rt: '64512:77', vni: 77 };
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:17:00:0a', ip: '10.171.0.10', ...spec });
    const b = await topo.attach(n1, { name: 'b', mac: '52:54:00:17:00:0b', ip: '10.171.0.11', ...spec });
    const inst = await n1.lookingGlass<{ ports: Record<string, unknown> }>('vpns/instances/net1');
    assert.ok(inst, 'instance created by the attaches');
    const links = await n1.json<{ ifname: string }>(['ip', '-json', 'link', 'show']);
    assert.ok(links.some((l) => l.ifname === a.hostIf) && links.some((l) => l.ifname === b.hostIf), 'host sides in the node namespace');
    const addr = await topo.nodes[0]!.json<{ addr_info: { local: string }[]; address: string }>(['ip', 'netns', 'exec', a.ns, 'ip', '-json', 'addr', 'show', 'dev', 'tovpn']);
    assert.equal(addr[0]!.address, a.mac);
    assert.deepEqual(addr[0]!.addr_info.map((x) => x.local), ['10.171.0.10']);
    assert.equal((await run('ip', ['netns', 'exec', a.ns, 'ip', 'route', 'show', 'default'])).stdout.trim(), '', 'no default route in an endpoint');
    assert.equal((await run('ip', ['link', 'show', a.hostIf])).code !== 0, true, 'nothing in the root namespace');

    // The dummy driver programs nothing: join the two ports by hand to exercise the helpers.
    assert.equal(await topo.ping(a, b.ip), false);
    await n1.execOk(['ip', 'link', 'add', 'hb', 'type', 'bridge']);
    for (const i of [a.hostIf, b.hostIf]) await n1.execOk(['ip', 'link', 'set', i, 'master', 'hb']);
    await n1.execOk(['ip', 'link', 'set', 'hb', 'up']);
    await topo.waitPing(a, b.ip);
    const t = await topo.tcpTransfer(a, b, 1_000_000);
    assert.equal(t.received, 1_000_000);
  } finally {
    await td.run();
  }
  const left = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith(`bgl${suffix}-`));
  assert.deepEqual(left, [], 'every namespace removed');
});
