/**
 * OpenFlow flows and groups as the OVS drivers want them, and their `ovs-ofctl` text (the
 * flow syntax of ovs-fields(7) / ovs-actions(7), read by `ovs-ofctl add-flows` / `add-groups`
 * from stdin, one per line, with a leading verb: `add`, `delete_strict`, `add_or_mod`, `delete`).
 *
 * A flow is identified by its table, priority and match (OpenFlow's identity of a flow entry);
 * the key below is that identity in our own text, which is stable because we always write the
 * match fields in the order the driver gives them. Empty actions are dropped when joining, so
 * the text never has the doubled or missing commas of the original (dataplane.md §6.4).
 */

export interface Flow {
  readonly table: number;
  readonly priority: number;
  /** Match fields in order: protocol keywords (`ip`, `arp`, `mpls`) and `field=value` items. */
  readonly match: readonly string[];
  readonly cookie: bigint;
  /** Actions in order; empty strings (optional actions not used) are left out. */
  readonly actions: readonly string[];
}

export interface Group {
  readonly id: number;
  readonly type: 'select' | 'all';
  /** `hash,fields(ip_src,ip_dst)`, `dp_hash` (select groups). */
  readonly selectionMethod?: string;
  readonly selectionMethodParam?: string;
  /** Bucket texts (`bucket_id=1,actions…`, or actions only), in order. */
  readonly buckets: readonly string[];
}

function cookieText(c: bigint): string {
  return `0x${c.toString(16)}`;
}

/** The identity of a flow: `table=T,priority=P,<match>`. */
export function flowKey(f: Pick<Flow, 'table' | 'priority' | 'match'>): string {
  return [`table=${f.table}`, `priority=${f.priority}`, ...f.match].join(',');
}

export function joinActions(actions: readonly string[]): string {
  const a = actions.filter((x) => x !== '').join(',');
  return a === '' ? 'drop' : a;
}

/** The line adding (or replacing, keeping its counters) a flow. */
export function flowAddLine(f: Flow): string {
  return `add ${[`table=${f.table}`, `cookie=${cookieText(f.cookie)}`, `priority=${f.priority}`, ...f.match].join(',')},actions=${joinActions(f.actions)}`;
}

/** The line deleting exactly this flow (same identity, same cookie). */
export function flowDeleteLine(f: Pick<Flow, 'table' | 'priority' | 'match' | 'cookie'>): string {
  return `delete_strict ${[`table=${f.table}`, `cookie=${cookieText(f.cookie)}/-1`, `priority=${f.priority}`, ...f.match].join(',')}`;
}

/** The group's description without a verb (`group_id=…,type=…,bucket=…`). */
export function groupText(g: Group): string {
  const parts = [`group_id=${g.id}`, `type=${g.type}`];
  if (g.selectionMethod !== undefined) parts.push(`selection_method=${g.selectionMethod}`);
  if (g.selectionMethodParam !== undefined) parts.push(`selection_method_param=${g.selectionMethodParam}`);
  for (const b of g.buckets) parts.push(`bucket=${b}`);
  return parts.join(',');
}

/** Adds the group or replaces its buckets (`mod-group --may-create`). */
export function groupAddLine(g: Group): string {
  return `add_or_mod ${groupText(g)}`;
}

export function groupDeleteLine(id: number): string {
  return `delete group_id=${id}`;
}
