/**
 * OVSDB operations of the OVS drivers through `ovs-vsctl` behind the root helper (spec
 * dataplane.md §1): bridge and port checks, ports added and deleted, OpenFlow protocols. Unlike
 * flow programming, a failure here fails the API call that needed it.
 *
 * The database is found as the original finds it through Neutron's OVS library: `[OVS]
 * ovsdb_connection` (`--db=…`, e.g. `unix:/run/ovs-a/db.sock`), else ovs-vsctl's default, which
 * honours OVS_RUNDIR. `[OVS] ovsdb_timeout` bounds every call (ovs-vsctl waits for ovs-vswitchd
 * to apply a change, so an ofport is known when add-port returns).
 */
import type { RootHelper } from '../exec/root-helper.js';
import { runCommand, type CommandOptions, type CommandResult } from '../exec/command.js';

export interface VsctlOptions {
  /** `[OVS] ovsdb_connection`; null: ovs-vsctl's default database. */
  readonly db: string | null;
  /** `[OVS] ovsdb_timeout`, seconds. */
  readonly timeout: number;
}

/** ovs-vsctl prints strings quoted when they are not plain identifiers. */
function unquote(s: string): string {
  const t = s.trim();
  return t.startsWith('"') && t.endsWith('"') ? (JSON.parse(t) as string) : t;
}

export class Vsctl {
  /** Commands run (tests and the looking glass count them). */
  commands = 0;

  constructor(
    private readonly rootHelper: RootHelper,
    private readonly options: VsctlOptions,
  ) {}

  argv(args: readonly string[]): string[] {
    return this.rootHelper.argv(['ovs-vsctl', ...(this.options.db ? [`--db=${this.options.db}`] : []), `--timeout=${this.options.timeout}`, ...args]);
  }

  run(args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    this.commands++;
    return runCommand(this.argv(args), { timeoutMs: (this.options.timeout + 5) * 1000, ...options });
  }

  async bridgeExists(bridge: string): Promise<boolean> {
    // br-exists: status 2 when the bridge does not exist.
    return (await this.run(['br-exists', bridge], { acceptable: [0, 2] })).status === 0;
  }

  async ports(bridge: string): Promise<string[]> {
    return (await this.run(['list-ports', bridge])).stdout.split('\n').filter((l) => l !== '');
  }

  /** The bridge a port belongs to, or undefined when no bridge has it. */
  async portBridge(port: string): Promise<string | undefined> {
    const r = await this.run(['port-to-br', port], { acceptable: [0, 1] });
    return r.status === 0 ? r.stdout.trim() : undefined;
  }

  /** The OpenFlow port number of an interface; undefined when unknown or not (yet) assigned. */
  async ofport(iface: string): Promise<number | undefined> {
    const r = await this.run(['--if-exists', 'get', 'Interface', iface, 'ofport'], { acceptable: [0, 1] });
    const v = Number(r.stdout.trim());
    return r.status === 0 && r.stdout.trim() !== '' && Number.isInteger(v) && v > 0 ? v : undefined;
  }

  /**
   * Adds a port (its interface with the given `type` and `options:`), and returns its ofport.
   * ovs-vsctl waits for ovs-vswitchd, so the number is assigned by then; a port whose interface
   * cannot be opened is removed again and the error thrown.
   */
  async addPort(bridge: string, port: string, type?: string, options: Readonly<Record<string, string>> = {}): Promise<number> {
    const settings = [...(type ? [`type=${type}`] : []), ...Object.entries(options).map(([k, v]) => `options:${k}=${v}`)];
    return this.addAndCheck(bridge, port, settings.length > 0 ? ['--', 'set', 'Interface', port, ...settings] : []);
  }

  /** Adds a plain port marked `external_ids:<key>=<value>` (ours, also after a restart); its ofport. */
  addPortOwned(bridge: string, port: string, key: string, value: string): Promise<number> {
    return this.addAndCheck(bridge, port, ['--', 'set', 'Port', port, `external_ids:${key}=${JSON.stringify(value)}`]);
  }

  private async addAndCheck(bridge: string, port: string, more: readonly string[]): Promise<number> {
    await this.run(['--may-exist', 'add-port', bridge, port, ...more]);
    const ofport = await this.ofport(port);
    if (ofport !== undefined) return ofport;
    const error = unquote((await this.run(['--if-exists', 'get', 'Interface', port, 'error'], { acceptable: [0, 1] })).stdout);
    await this.deletePort(bridge, port);
    throw new Error(`OVS port ${port} could not be added to ${bridge}${error && error !== '[]' ? `: ${error}` : ''}`);
  }

  async deletePort(bridge: string, port: string): Promise<void> {
    await this.run(['--if-exists', 'del-port', bridge, port]);
  }

  /** `type` and `options` of an interface (undefined when it does not exist). */
  async interfaceConfig(iface: string): Promise<{ type: string; options: Record<string, string> } | undefined> {
    const r = await this.run(['--format=json', '--columns=type,options', 'find', 'Interface', `name=${iface}`]);
    const data = JSON.parse(r.stdout) as { data: [string, ['map', [string, string][]]][] };
    const row = data.data[0];
    if (!row) return undefined;
    return { type: row[0], options: Object.fromEntries(row[1][1]) };
  }

  /** Adds OpenFlow versions to the bridge's `protocols` (Neutron's use_at_least_protocol). */
  async addProtocols(bridge: string, wanted: readonly string[]): Promise<void> {
    const current = (await this.run(['get', 'Bridge', bridge, 'protocols'])).stdout
      .trim()
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map(unquote)
      .filter((p) => p !== '');
    // An empty set means OVS's default versions: keep OpenFlow 1.0 usable for other tools.
    const base = current.length === 0 ? ['OpenFlow10'] : current;
    const missing = wanted.filter((p) => !base.includes(p));
    if (missing.length === 0 && current.length > 0) return;
    await this.run(['set', 'Bridge', bridge, `protocols=${[...base, ...missing].join(',')}`]);
  }

  /** The Ethernet address of a bridge's own (LOCAL) interface. */
  async bridgeMac(bridge: string): Promise<string | undefined> {
    const r = await this.run(['--if-exists', 'get', 'Interface', bridge, 'mac_in_use'], { acceptable: [0, 1] });
    const mac = unquote(r.stdout);
    return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac) ? mac.toLowerCase() : undefined;
  }
}
