/**
 * The looking-glass tree and its path resolution (spec looking-glass.md §1), as the original's
 * LookingGlassMixin does it: every node is an object with local info and a map of named entries
 * of six kinds.
 *
 * | kind       | object rendered                   | `<name>` next in the path                        |
 * |------------|-----------------------------------|--------------------------------------------------|
 * | value      | `name: value`                     | the value; the REST OF THE PATH IS IGNORED (quirk) |
 * | subitem    | `name: get()`                     | `get()`, descended by dict keys                  |
 * | subtree    | `name: {"href"}` (not computed)   | `get(prefix)`, descended by dict keys            |
 * | delegate   | `name: {"href"}`                  | the target resolves the rest, prefix + `/name`   |
 * | forward    | `name: {"href"}`                  | the target resolves the WHOLE path, same prefix  |
 * | collection | `name: {"href"}`                  | list of items + href; `/<id>`: the item object   |
 *
 * A segment not in the map: the object is rendered (local info, then the map entries in order)
 * and the path is looked up in the result by dict keys. Failures are 404s with the original's
 * text: the key quoted (Python repr) after a dict lookup, bare after a collection lookup.
 */
import { pyStr } from '../../vpn/py-repr.js';

export class LgNotFound extends Error {
  override readonly name = 'LgNotFound';
  constructor(key: string, at: string) {
    super(`No such looking glass object: ${key} at ${at}`);
  }
}

export interface CollectionItem {
  readonly id: string;
  readonly [key: string]: unknown;
}

export type LgEntry =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'subitem'; readonly get: () => unknown }
  | { readonly kind: 'subtree'; readonly get: (prefix: string) => unknown }
  | { readonly kind: 'delegate'; readonly target: () => LgObject }
  | { readonly kind: 'forward'; readonly target: () => LgObject }
  | { readonly kind: 'collection'; readonly list: () => CollectionItem[]; readonly item: (id: string) => LgObject | undefined };

/** A looking-glass object: local info (rendered first) and named entries (in render order). */
export interface LgObject {
  info?(prefix: string): Record<string, unknown>;
  entries?(): Record<string, LgEntry>;
}

export const value = (v: unknown): LgEntry => ({ kind: 'value', value: v });
export const subitem = (get: () => unknown): LgEntry => ({ kind: 'subitem', get });
export const subtree = (get: (prefix: string) => unknown): LgEntry => ({ kind: 'subtree', get });
export const delegate = (target: () => LgObject): LgEntry => ({ kind: 'delegate', target });
export const forward = (target: () => LgObject): LgEntry => ({ kind: 'forward', target });
export const collection = (list: () => CollectionItem[], item: (id: string) => LgObject | undefined): LgEntry => ({ kind: 'collection', list, item });

const PY_QUOTED = /[!'()*]/g;

/** Python's urllib.parse.quote (safe '/'): what the original puts in hrefs. */
export function quote(segment: string): string {
  return encodeURIComponent(segment)
    .replace(PY_QUOTED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

export function childPrefix(prefix: string, segment: string): string {
  return `${prefix}/${quote(segment)}`;
}

/**
 * An absolute looking-glass URL (the original's get_absolute_path): the current prefix up to and
 * including "looking-glass", then a fixed path.
 */
export function absolute(prefix: string, path: readonly string[]): string {
  const i = prefix.indexOf('looking-glass');
  const root = i >= 0 ? prefix.slice(0, i + 'looking-glass'.length) : prefix;
  return [root, ...path.map(quote)].join('/');
}

export const href = (prefix: string, name: string): { href: string } => ({ href: childPrefix(prefix, name) });

/** Looks a path up in a computed value by successive dict keys (lists cannot be indexed). */
function lookup(v: unknown, path: readonly string[], at: string): unknown {
  let cur = v;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key)) throw new LgNotFound(pyStr(key), at);
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Renders an object completely: local info, then each entry (links for the lazy kinds). */
export function render(obj: LgObject, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj.info?.(prefix) };
  for (const [name, e] of Object.entries(obj.entries?.() ?? {})) {
    if (e.kind === 'value') out[name] = e.value;
    else if (e.kind === 'subitem') out[name] = e.get();
    else out[name] = href(prefix, name);
  }
  return out;
}

/** The looking-glass information of `path` (decoded segments) below an object reached at `prefix`. */
export function resolve(obj: LgObject, path: readonly string[], prefix: string): unknown {
  const [first, ...rest] = path;
  if (first === undefined) return render(obj, prefix);
  const at = childPrefix(prefix, first);
  const entries = obj.entries?.() ?? {};
  const e = Object.hasOwn(entries, first) ? entries[first] : undefined;
  if (e === undefined) return lookup(render(obj, prefix), path, at);
  switch (e.kind) {
    case 'value':
      return e.value;
    case 'subitem':
      return lookup(e.get(), rest, at);
    case 'subtree':
      return lookup(e.get(at), rest, at);
    case 'delegate':
      return resolve(e.target(), rest, at);
    case 'forward':
      return resolve(e.target(), path, prefix);
    case 'collection': {
      const [id, ...more] = rest;
      if (id === undefined) return e.list().map((item) => ({ ...item, href: childPrefix(at, item.id) }));
      const target = e.item(id);
      if (target === undefined) throw new LgNotFound(id, at);
      return resolve(target, more, childPrefix(at, id));
    }
  }
}
