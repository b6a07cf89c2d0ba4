/**
 * Summarises a V8 CPU profile (node --cpu-prof) by self time: the functions where the time is
 * actually spent, with their file and line, and the same grouped by file.
 *
 * Usage: node dist/bench/lib/profile-top.js FILE.cpuprofile [TOP=25]
 *   e.g. node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/codec.js --only="vpnv4 4096 decode"
 *        node dist/bench/lib/profile-top.js /tmp/prof/*.cpuprofile
 * The profile covers the whole process (setup and warm-up included): measure one case at a time
 * (--only) so the measured function dominates.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const at = url.search(/\/(src|bench|test|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url.replace(/^node:/, 'node:');
}

function main(): void {
  const [file, topText] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node dist/bench/lib/profile-top.js FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  const top = Number(topText ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    const where = f.url === '' ? '' : `${shortUrl(f.url)}:${f.lineNumber + 1}`;
    const key = `${f.functionName || '(anonymous)'}  ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const fileKey = f.url === '' ? `(${f.functionName})` : shortUrl(f.url);
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
  }
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title}`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
    }
  };
  console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
  print('self time by function', byFunction);
  print('self time by file', byFile);
}

main();
