/**
 * The original BaGPipe-BGP client commands (Debian python3-networking-bagpipe, installed by
 * scripts/install-deps.sh) as oracles: our commands must print what they print.
 *
 * - `runOriginal`: one of /usr/bin/bagpipe-looking-glass, -impex2dot as a process;
 * - `originalPrettyPrints`: the original looking-glass printer on many JSON documents in one
 *   Python process (its output for one document, without any HTTP);
 * - `originalRestAttach`: the original rest-attach's output for many command lines in one
 *   Python process. It crashes on Python 3 right after printing `request: …` (config.md §6), which
 *   is exactly the part compared; its bgp.conf is given through oslo.config, since the original
 *   only reads /etc/bagpipe-bgp/bgp.conf.
 */
import { accessSync, constants } from 'node:fs';
import { runProcess, type ProcessResult } from './run-process.js';

/** Fails loudly when the original is not installed: these tests never skip. */
function requireBinary(path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${path} is missing: run scripts/install-deps.sh (as root) to install python3-networking-bagpipe`);
  }
  return path;
}

/** The system Python that has the original's modules (not a pyenv shim). */
const PYTHON = '/usr/bin/python3';

export function runOriginal(command: 'bagpipe-looking-glass' | 'bagpipe-impex2dot', args: readonly string[]): Promise<ProcessResult> {
  return runProcess(requireBinary(`/usr/bin/${command}`), args);
}

async function python(script: string, args: readonly string[], input: unknown): Promise<unknown> {
  const r = await runProcess(requireBinary(PYTHON), ['-c', script, ...args], { input: JSON.stringify(input), timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(`original tool harness failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const PRETTY_PRINT = `
import io, json, sys
from networking_bagpipe.bagpipe_bgp.cli import looking_glass as lg
out = []
for text in json.load(sys.stdin):
    buf = io.StringIO()
    lg.stdout = buf
    lg.pretty_print_recurse(json.loads(text), 0, False, "http://127.0.0.1/looking-glass/", already_anew_line=True)
    out.append(buf.getvalue())
json.dump(out, sys.__stdout__)
`;

/** What the original printer writes for each JSON document. */
export async function originalPrettyPrints(documents: readonly string[]): Promise<string[]> {
  return (await python(PRETTY_PRINT, [], documents)) as string[];
}

const REST_ATTACH = `
import contextlib, io, json, sys
from oslo_config import cfg
conf_file = sys.argv[1]
orig = cfg.ConfigOpts.__call__
def call(self, args=None, project=None, default_config_files=None, **kw):
    return orig(self, args=['--config-file', conf_file], project=project, **kw)
cfg.ConfigOpts.__call__ = call
from networking_bagpipe.bagpipe_bgp.cli import rest_attach
results = []
for argv in json.load(sys.stdin):
    sys.argv = ['bagpipe-rest-attach'] + argv
    out, err = io.StringIO(), io.StringIO()
    outcome = 'returned'
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rest_attach.main()
        except SystemExit as e:
            outcome = 'exit %s' % e.code
        except BaseException as e:
            outcome = type(e).__name__
    results.append({'stdout': out.getvalue(), 'stderr': err.getvalue(), 'outcome': outcome})
json.dump(results, sys.__stdout__)
`;

export interface OriginalRun {
  readonly stdout: string;
  readonly stderr: string;
  /** `returned`, `exit <code>` or the exception's class name (`TypeError`: the Python 3 crash). */
  readonly outcome: string;
}

/** The original rest-attach on each command line (none may run commands: no netns, no OVS). */
export async function originalRestAttach(commandLines: readonly (readonly string[])[], configFile: string): Promise<OriginalRun[]> {
  return (await python(REST_ATTACH, [configFile], commandLines)) as OriginalRun[];
}
