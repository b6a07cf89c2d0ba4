/**
 * A private Open vSwitch per network namespace (LAB-NOTES "Open vSwitch without its kernel
 * module"): its own directory (database, sockets, logs), an `ovsdb-server` and an `ovs-vswitchd`
 * with the userspace datapath running in the namespace, bridges with `datapath_type=netdev`.
 * Nothing is shared with another instance or with a system Open vSwitch: `ovs-vsctl` is given the
 * database socket, `ovs-ofctl` finds the bridges' management sockets through OVS_RUNDIR (the way
 * our daemon finds them too, `env` below).
 *
 * Both daemons are children of the test process (no --detach), so they die with it; `stop()`
 * (registered on the Teardown) stops them by PID and removes the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../helpers/wait.js';
import { Daemon, run, runOk, type Teardown } from './process.js';

export interface FlowStats {
  readonly table: number;
  readonly cookie: bigint;
  readonly priority: number;
  /** The match as ovs-ofctl prints it, without table, cookie and priority ("ip,reg0=0x1,nw_dst=10.0.0.2"). */
  readonly match: string;
  readonly actions: string;
  readonly packets: number;
  readonly bytes: number;
  /** The whole line, for messages. */
  readonly text: string;
}

export interface BucketStats {
  readonly bucket: number;
  readonly packets: number;
}

/** One line of `ovs-ofctl dump-flows` (OpenFlow 1.5, without --names) as a record. */
export function parseFlowLine(line: string): FlowStats | undefined {
  const t = line.trim();
  if (!t.startsWith('cookie=')) return undefined;
  const [head, actions = ''] = t.split(' actions=');
  const fields = head!.split(', ');
  let table = 0;
  let cookie = 0n;
  let packets = 0;
  let bytes = 0;
  let rest = '';
  for (const f of fields) {
    const [k, v = ''] = f.split('=', 2);
    if (k === 'cookie') cookie = BigInt(v);
    else if (k === 'table') table = Number(v);
    else if (k === 'n_packets') packets = Number(v);
    else if (k === 'n_bytes') bytes = Number(v);
    else if (k === 'duration' || k === 'idle_age' || k === 'hard_age' || k === 'reset_counts') continue;
    else rest = rest === '' ? f : `${rest}, ${f}`;
  }
  let priority = 32768;
  const m = /^priority=(\d+),?(.*)$/.exec(rest);
  let match = rest;
  if (m) {
    priority = Number(m[1]);
    match = m[2]!;
  }
  return { table, cookie, priority, match, actions, packets, bytes, text: t };
}

export class PrivateOvs {
  private readonly daemons: Daemon[] = [];
  readonly dbSock: string;

  private constructor(
    readonly namespace: string,
    readonly dir: string,
  ) {
    this.dbSock = `unix:${join(dir, 'db.sock')}`;
  }

  /** Where ovs-ofctl / ovs-vsctl (and our daemon) find this instance. */
  get env(): Record<string, string> {
    return { OVS_RUNDIR: this.dir, OVS_DBDIR: this.dir, OVS_LOGDIR: this.dir, OVS_SYSCONFDIR: this.dir };
  }

  /** Starts ovsdb-server and ovs-vswitchd for `namespace` (which must exist); stopped at teardown. */
  static async start(teardown: Teardown, namespace: string): Promise<PrivateOvs> {
    const dir = mkdtempSync(join(tmpdir(), `ovs-${namespace}-`));
    const ovs = new PrivateOvs(namespace, dir);
    teardown.add(() => ovs.stop());
    const env = ovs.env;
    await runOk('ovsdb-tool', ['create', join(dir, 'conf.db'), '/usr/share/openvswitch/vswitch.ovsschema']);
    ovs.daemons.push(
      Daemon.start('ovsdb-server', 'ovsdb-server', [join(dir, 'conf.db'), `--remote=p${ovs.dbSock}`, `--unixctl=${dir}/ovsdb-server.ctl`, `--log-file=${dir}/ovsdb-server.log`], {
        env,
      }),
    );
    await waitFor(`ovsdb-server of ${namespace}`, async () => (await run('ovs-vsctl', [`--db=${ovs.dbSock}`, '--no-wait', 'init'])).code === 0, 10_000, 20);
    ovs.daemons.push(
      Daemon.start(
        'ovs-vswitchd',
        'ip',
        ['netns', 'exec', namespace, 'ovs-vswitchd', ovs.dbSock, '--disable-system', `--unixctl=${dir}/ovs-vswitchd.ctl`, `--log-file=${dir}/ovs-vswitchd.log`],
        { env },
      ),
    );
    return ovs;
  }

  /** ovs-vsctl against this instance's database (waits for ovs-vswitchd to apply changes). */
  vsctl(...args: string[]): Promise<string> {
    return runOk('ovs-vsctl', [`--db=${this.dbSock}`, '--timeout=20', ...args], { env: this.env });
  }

  /** ovs-ofctl (OpenFlow 1.5) against a bridge of this instance. */
  ofctl(verb: string, bridge: string, ...args: string[]): Promise<string> {
    return runOk('ovs-ofctl', ['-O', 'OpenFlow15', verb, bridge, ...args], { env: this.env });
  }

  /** A userspace bridge; `protocols` as ovs-vsctl takes them. */
  async addBridge(name: string, protocols = 'OpenFlow10,OpenFlow13,OpenFlow15'): Promise<void> {
    await this.vsctl('add-br', name, '--', 'set', 'bridge', name, 'datapath_type=netdev', `protocols=${protocols}`);
  }

  async ports(bridge: string): Promise<string[]> {
    return (await this.vsctl('list-ports', bridge)).split('\n').filter(Boolean);
  }

  async ofport(name: string): Promise<number> {
    return Number((await this.vsctl('get', 'Interface', name, 'ofport')).trim());
  }

  /** The flows of a bridge (optionally filtered, `table=2,cookie=1/-1`). */
  async flows(bridge: string, filter?: string): Promise<FlowStats[]> {
    const out = await this.ofctl('dump-flows', bridge, ...(filter ? [filter] : []));
    return out
      .split('\n')
      .map(parseFlowLine)
      .filter((f): f is FlowStats => f !== undefined);
  }

  /** `ovs-ofctl dump-groups` lines (without the reply header). */
  async groups(bridge: string): Promise<string[]> {
    const out = await this.ofctl('dump-groups', bridge);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('group_id='));
  }

  /** Packet counters of each bucket of a group. */
  async bucketStats(bridge: string, group: number): Promise<BucketStats[]> {
    const out = await this.ofctl('dump-group-stats', bridge, `group_id=${group}`);
    const stats: BucketStats[] = [];
    for (const m of out.matchAll(/bucket(\d+):packet_count=(\d+)/g)) stats.push({ bucket: Number(m[1]), packets: Number(m[2]) });
    return stats;
  }

  /** The last lines of both daemons' logs and outputs, for failure messages. */
  tail(): string {
    return this.daemons.map((d) => d.tail(20)).join('\n');
  }

  async stop(): Promise<void> {
    for (const d of this.daemons.splice(0).reverse()) await d.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
