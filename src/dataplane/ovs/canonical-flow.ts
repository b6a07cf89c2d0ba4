/**
 * Flows as OVS prints them (`ovs-ofctl dump-flows`, `diff-flows`): OVS normalises what it is
 * given (`load:0->NXM_OF_IN_PORT[]` becomes `set_field:0->in_port`, `/32` disappears, numbers
 * turn hexadecimal), so installed flows are read back in that canonical text and never compared
 * with ours character by character; the identity (table, priority, match) is what both share.
 */

export interface CanonicalFlow {
  readonly table: number;
  readonly priority: number;
  /** Match items in OVS's order (`ip`, `reg0=0x1`, `nw_dst=10.0.0.2`). */
  readonly match: readonly string[];
  readonly cookie: bigint;
  readonly actions: string;
  readonly packets?: number;
}

/** OpenFlow's default priority, which OVS leaves out of its text. */
const DEFAULT_PRIORITY = 32768;

function splitMatch(text: string): { priority: number; match: string[] } {
  const items = text === '' ? [] : text.split(',');
  let priority = DEFAULT_PRIORITY;
  const match: string[] = [];
  for (const i of items) {
    if (i.startsWith('priority=')) priority = Number(i.slice('priority='.length));
    else match.push(i);
  }
  return { priority, match };
}

/**
 * One line of `ovs-ofctl diff-flows` without its sign:
 * `[table=T ]priority=P,<match>[ cookie=0x…][ <other>=…] actions=…`.
 */
export function parseDiffFlow(line: string): CanonicalFlow | undefined {
  const at = line.indexOf(' actions=');
  const head = at < 0 ? line : line.slice(0, at);
  const actions = at < 0 ? '' : line.slice(at + ' actions='.length);
  let table = 0;
  let cookie = 0n;
  let matchText = '';
  for (const word of head.trim().split(' ')) {
    if (word.startsWith('table=')) table = Number(word.slice('table='.length));
    else if (word.startsWith('cookie=')) cookie = BigInt(word.slice('cookie='.length));
    else if (word.startsWith('priority=') || matchText === '') matchText = word;
  }
  if (Number.isNaN(table)) return undefined;
  return { table, cookie, actions, ...splitMatch(matchText) };
}

/**
 * One line of `ovs-ofctl dump-flows`:
 * ` cookie=0x1, duration=1.2s, table=2, n_packets=0, n_bytes=0, idle_age=1, priority=P,<match> actions=…`.
 */
export function parseDumpFlow(line: string): CanonicalFlow | undefined {
  const t = line.trim();
  if (!t.startsWith('cookie=')) return undefined;
  const at = t.indexOf(' actions=');
  const head = at < 0 ? t : t.slice(0, at);
  const actions = at < 0 ? '' : t.slice(at + ' actions='.length);
  let table = 0;
  let cookie = 0n;
  let packets = 0;
  let matchText = '';
  for (const field of head.split(', ')) {
    const eq = field.indexOf('=');
    const k = field.slice(0, eq);
    const v = field.slice(eq + 1);
    if (k === 'cookie') cookie = BigInt(v);
    else if (k === 'table') table = Number(v);
    else if (k === 'n_packets') packets = Number(v);
    else if (['duration', 'n_bytes', 'idle_age', 'hard_age', 'idle_timeout', 'hard_timeout', 'importance'].includes(k)) continue;
    else matchText = field;
  }
  return { table, cookie, actions, packets, ...splitMatch(matchText) };
}

/** Parses every flow line of a dump. */
export function parseDump(text: string): CanonicalFlow[] {
  return text
    .split('\n')
    .map(parseDumpFlow)
    .filter((f): f is CanonicalFlow => f !== undefined);
}

/** The line deleting exactly an installed flow. */
export function canonicalDeleteLine(f: CanonicalFlow): string {
  return `delete_strict ${[`table=${f.table}`, `cookie=0x${f.cookie.toString(16)}/-1`, `priority=${f.priority}`, ...f.match].join(',')}`;
}

/** The flow's text as dump-flows would show it without statistics (looking glass, messages). */
export function canonicalText(f: CanonicalFlow): string {
  return `${[`table=${f.table}`, `priority=${f.priority}`, ...f.match].join(',')} cookie=0x${f.cookie.toString(16)} actions=${f.actions}`;
}

/** `ovs-ofctl dump-groups` lines: group id → the group's text. */
export function parseGroups(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*group_id=(\d+),(.*)$/.exec(line);
    if (m) out.set(Number(m[1]), line.trim());
  }
  return out;
}
