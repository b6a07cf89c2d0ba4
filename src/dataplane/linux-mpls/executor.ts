/**
 * Runs the kernel MPLS driver's steps (steps.ts) through the shared privileged execution
 * (dataplane/exec): one long-lived `ip -force -batch -` process per address family the lines
 * need (`ip`, `ip -6`, `ip -f mpls`: a batch line cannot carry the family), and sysctl writes.
 * Steps run in order: consecutive lines of one family go as one chunk, and a chunk is sent only
 * once the previous one has answered, so a route never reaches the kernel before the device it
 * names.
 *
 * sysctl: written under /proc/sys by the daemon itself when it runs without a root helper (it is
 * root, in its own network namespace: no process at all); otherwise `<root helper> sysctl -w`,
 * since the root helper may change more than privileges (`ip netns exec <ns>` in the tests).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchRunner } from '../exec/batch-runner.js';
import { CommandError } from '../exec/command.js';
import type { PrivilegedExec } from '../exec/privileged-exec.js';
import type { Logger } from '../../util/logger.js';
import type { ObservedLink, ObservedRule, ObservedState } from './driver-plan.js';
import { sysctlKey, type IpFamily, type Step, type SysctlStep } from './steps.js';

export interface StepResult {
  readonly ok: boolean;
  /** The command's error text when it failed. */
  readonly error?: string;
}

/** What the driver needs from the kernel side; the tests give it a model of the kernel. */
export interface MplsExecutor {
  /** Runs the steps in order; one result per step (a failed step does not stop the others). */
  run(steps: readonly Step[]): Promise<StepResult[]>;
  /** Whether a network device exists. */
  linkExists(ifname: string): Promise<boolean>;
  /** The devices and rules reset_state looks at. */
  observe(): Promise<ObservedState>;
  close(): Promise<void>;
}

export class IprouteExecutor implements MplsExecutor {
  /** One batch process per family (readable: tests count their starts). */
  readonly runners: Readonly<Record<IpFamily, BatchRunner>>;

  constructor(
    private readonly exec: PrivilegedExec,
    private readonly log?: Logger,
  ) {
    const helper = exec.rootHelper;
    this.runners = {
      inet: exec.ip,
      inet6: new BatchRunner(helper.argv(['ip', '-6']), log),
      mpls: new BatchRunner(helper.argv(['ip', '-f', 'mpls']), log),
    };
  }

  async run(steps: readonly Step[]): Promise<StepResult[]> {
    const results: StepResult[] = [];
    let i = 0;
    while (i < steps.length) {
      const s = steps[i]!;
      if (s.kind === 'sysctl') {
        results.push(await this.sysctl(s));
        i++;
        continue;
      }
      let j = i;
      const lines: string[] = [];
      for (; j < steps.length; j++) {
        const t = steps[j]!;
        if (t.kind !== 'ip' || t.family !== s.family) break;
        lines.push(t.args.join(' '));
      }
      for (const r of await this.runners[s.family].run(lines)) results.push(r.ok ? { ok: true } : { ok: false, error: r.error ?? 'failed' });
      i = j;
    }
    return results;
  }

  private async sysctl(s: SysctlStep): Promise<StepResult> {
    try {
      if (this.exec.rootHelper.prefix.length === 0) await writeFile(join('/proc/sys', ...s.path), s.value);
      else await this.exec.run(['sysctl', '-w', `${sysctlKey(s.path)}=${s.value}`]);
      return { ok: true };
    } catch (e) {
      const why = e instanceof CommandError ? e.result.stderr.trim().split('\n')[0] || e.message : e instanceof Error ? e.message : String(e);
      return { ok: false, error: why };
    }
  }

  async linkExists(ifname: string): Promise<boolean> {
    const r = await this.exec.run(['ip', '-json', 'link', 'show', 'dev', ifname], { acceptable: [0, 1, 255] });
    return r.status === 0;
  }

  async observe(): Promise<ObservedState> {
    const links = await this.exec.json<{ ifname: string; master?: string }>(['ip', '-json', 'link', 'show']);
    const rules = (family: string[]): Promise<ObservedRule[]> =>
      this.exec.json<{ iif?: string; oif?: string }>(['ip', ...family, '-json', 'rule', 'show']).catch((e: unknown) => {
        this.log?.log('warning', `reading ${family.join(' ')} rules: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      });
    return {
      links: links.map((l): ObservedLink => (l.master === undefined ? { ifname: l.ifname } : { ifname: l.ifname, master: l.master })),
      rules: (await rules([])).map(pickRule),
      rules6: (await rules(['-6'])).map(pickRule),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.runners.inet6.close(), this.runners.mpls.close(), this.exec.close()]);
  }
}

function pickRule(r: { iif?: string; oif?: string }): ObservedRule {
  return { ...(r.iif !== undefined ? { iif: r.iif } : {}), ...(r.oif !== undefined ? { oif: r.oif } : {}) };
}
