/**
 * The looking-glass pretty printer (spec looking-glass.md §4), output identical to the original
 * `bagpipe-looking-glass` (test/cli/bagpipe-looking-glass.test.ts compares both on generated
 * trees):
 *
 * - a dict with `id` and `href` prints its id first; a dict with `href` prints ` (...)`, or, when
 *   recursing and the href is below the current URL, the fetched object one level deeper;
 * - keys print as `<indent>key: ` and their value one indent step (2) deeper; the first key of a
 *   dict that starts on a list bullet stays on the bullet's line;
 * - lists print `<indent>* ` bullets; empty dicts and lists print `-`;
 * - scalars print as Python's str() (`None`, `True`), multi-line strings re-indented.
 *
 * Every call ends at the start of a line. One deliberate difference: when a recursive fetch
 * fails the original abandons the whole output (the error reaches its top level, e.g. on the
 * `…/bgp/workers/BGPManager` href of RTC routes, which is a 404); we print ` (ERROR <status>)`
 * for that object and go on, which is what the original's code meant to do.
 */
import { isPyDict, pyStr, type PyDict, type PyValue } from '../client/python-json.js';

export const INDENT_STEP = 2;

export interface Out {
  write(text: string): void;
}

/** Fetches an href while recursing: the parsed object, or a short error text (`ERROR 404`). */
export type Follow = (url: string) => Promise<{ readonly data: PyValue } | { readonly error: string }>;

export interface PrintOptions {
  /** Recurse into hrefs below the current URL (`--recurse`) with this fetcher. */
  readonly follow?: Follow;
}

/** Prints `data` fetched from `url`, starting at the beginning of a line. */
export async function prettyPrint(data: PyValue, url: string, out: Out, options: PrintOptions = {}): Promise<void> {
  await printValue(data, 0, url, true, out, options);
}

async function printValue(data: PyValue, indent: number, url: string, atLineStart: boolean, out: Out, options: PrintOptions): Promise<void> {
  if (isPyDict(data)) return printDict(new Map(data), indent, url, atLineStart, out, options);
  if (Array.isArray(data)) return printList(data, indent, url, atLineStart, out, options);
  printScalar(data, indent, out);
}

async function printDict(dict: PyDict, indent: number, url: string, atLineStart: boolean, out: Out, options: PrintOptions): Promise<void> {
  const href = dict.get('href');
  const linked = dict.has('href');
  if (linked && dict.has('id')) {
    out.write(pyStr(dict.get('id')!));
    dict.delete('id');
  }
  if (linked) {
    if (options.follow !== undefined && typeof href === 'string' && href.startsWith(url)) {
      const fetched = await options.follow(href);
      if ('data' in fetched) {
        await printValue(fetched.data, indent + INDENT_STEP, href, false, out, options);
        return;
      }
      out.write(` (${fetched.error})\n`);
      return;
    }
    dict.delete('href');
    out.write(' (...)');
    atLineStart = false;
  }
  if (dict.size === 0) {
    out.write(linked ? '\n' : '-\n');
    return;
  }
  if (!atLineStart) out.write('\n');
  let first = true;
  for (const [key, value] of dict) {
    // The first key of a dict that starts on a bullet line continues that line.
    if (!first || !atLineStart) out.write(' '.repeat(indent));
    first = false;
    out.write(`${key}: `);
    await printValue(value, indent + INDENT_STEP, url, false, out, options);
  }
}

async function printList(list: readonly PyValue[], indent: number, url: string, atLineStart: boolean, out: Out, options: PrintOptions): Promise<void> {
  if (list.length === 0) {
    out.write('-\n');
    return;
  }
  if (!atLineStart) out.write('\n');
  for (const item of list) {
    out.write(`${' '.repeat(indent)}* `);
    if (isPyDict(item) || Array.isArray(item)) await printValue(item, indent + INDENT_STEP, url, true, out, options);
    else out.write(`${pyStr(item)}\n`);
  }
}

function printScalar(value: PyValue, indent: number, out: Out): void {
  if (typeof value === 'string' && value.includes('\n')) {
    const pad = ' '.repeat(indent);
    out.write(`\n${pad}${value.replace(/^\n+|\n+$/g, '').replaceAll('\n', `\n${pad}`)}\n`);
    return;
  }
  out.write(`${pyStr(value)}\n`);
}
