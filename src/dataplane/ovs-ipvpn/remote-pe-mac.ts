/**
 * The MAC address of a remote PE for bare MPLS over Ethernet (spec dataplane.md §6.4 "bare
 * MPLS"): the next hop is an IP address, the frame needs the Ethernet address behind it on the
 * bridge's interface.
 *
 * The original pinged the PE with fping and read the ARP cache (`ip neigh show to <PE> dev
 * <bridge>`), failing when the entry was missing, FAILED or INCOMPLETE. Here no probe process is
 * needed: the neighbour entry is made *managed* (`ip neigh replace <PE> dev <bridge> managed`,
 * Linux 5.16+), so the kernel resolves it at once and keeps it resolved, and we read it back
 * (`ip -json neigh show`) until it has an address. Results are cached per PE; concurrent requests
 * for one PE share the lookup.
 */
import type { CommandResult } from '../exec/command.js';
import type { Logger } from '../../util/logger.js';

export class RemotePeMacNotFound extends Error {
  override readonly name = 'RemotePeMacNotFound';
}

interface NeighEntry {
  readonly dst?: string;
  readonly lladdr?: string;
  readonly state?: readonly string[];
}

export type Run = (argv: readonly string[], options?: { acceptable?: readonly number[] }) => Promise<CommandResult>;

export interface ResolverOptions {
  /** How long to wait for the kernel to resolve an entry. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

export class RemotePeMacResolver {
  private readonly cache = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private managedRefused = false;

  constructor(
    /** The interface holding the node's address on the MPLS network (the bridge's own). */
    readonly device: string,
    private readonly run: Run,
    private readonly log: Logger,
    private readonly options: ResolverOptions = {},
  ) {}

  resolve(pe: string): Promise<string> {
    const known = this.cache.get(pe);
    if (known) return Promise.resolve(known);
    let p = this.inFlight.get(pe);
    if (!p) {
      p = this.lookup(pe).finally(() => this.inFlight.delete(pe));
      this.inFlight.set(pe, p);
    }
    return p;
  }

  /** Forgets a PE (its MAC is read again next time). */
  forget(pe: string): void {
    this.cache.delete(pe);
  }

  entries(): Record<string, string> {
    return Object.fromEntries(this.cache);
  }

  private async read(pe: string): Promise<string | undefined> {
    const r = await this.run(['ip', '-json', 'neigh', 'show', 'to', pe, 'dev', this.device], { acceptable: [0, 1] });
    if (r.status !== 0 || r.stdout.trim() === '') return undefined;
    const entries = JSON.parse(r.stdout) as NeighEntry[];
    const e = entries.find((n) => n.lladdr !== undefined && !(n.state ?? []).some((s) => s === 'FAILED' || s === 'INCOMPLETE'));
    return e?.lladdr?.toLowerCase();
  }

  private async lookup(pe: string): Promise<string> {
    let mac = await this.read(pe);
    if (mac === undefined) {
      if (!this.managedRefused) {
        const r = await this.run(['ip', 'neigh', 'replace', pe, 'dev', this.device, 'managed'], { acceptable: [0, 1, 2, 255] });
        if (r.status !== 0) {
          this.managedRefused = true;
          this.log.log('warning', `managed neighbour entries refused (${r.stderr.trim()}): waiting for ${pe} to be resolved by other traffic`);
        }
      }
      const end = Date.now() + (this.options.timeoutMs ?? 1000);
      while (mac === undefined && Date.now() < end) {
        await new Promise((res) => setTimeout(res, this.options.pollMs ?? 20));
        mac = await this.read(pe);
      }
    }
    if (mac === undefined) throw new RemotePeMacNotFound(`MAC address for ${pe} could not be found on ${this.device}`);
    this.cache.set(pe, mac);
    return mac;
  }
}
