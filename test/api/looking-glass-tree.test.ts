/**
 * The looking-glass resolver (spec looking-glass.md §1) on a small tree with every entry kind:
 * rendering, descent, the quirks (a VALUE ignores the rest of the path; FORWARD keeps the prefix),
 * hrefs quoted as Python's urllib quote, and the 404 texts (quoted after a dict lookup, bare after
 * a collection lookup, at the prefix where the lookup failed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { absolute, collection, delegate, forward, LgNotFound, quote, resolve, subitem, subtree, value, type LgObject } from '../../src/api/looking-glass/tree.js';

const P = 'http://h:1/looking-glass';

const leaf: LgObject = { info: (prefix) => ({ here: prefix, nested: { a: [1, 2] } }), entries: () => ({ v: value('val') }) };
const forwarded: LgObject = { entries: () => ({ fw: subtree((prefix) => ({ at: prefix })) }) };
const root: LgObject = {
  info: () => ({ local: 1 }),
  entries: () => ({
    v: value({ x: 1 }),
    si: subitem(() => ({ k: { deep: 'yes' } })),
    st: subtree((prefix) => ({ at: prefix })),
    dl: delegate(() => leaf),
    fw: forward(() => forwarded),
    coll: collection(
      () => [{ id: 'a b', extra: 1 }, { id: "it's/x" }],
      (id) => (id === 'a b' ? leaf : undefined),
    ),
  }),
};

function notFound(path: string[]): string {
  try {
    resolve(root, path, P);
  } catch (e) {
    assert.ok(e instanceof LgNotFound);
    return e.message;
  }
  assert.fail(`no 404 for ${path.join('/')}`);
}

test('an object renders its local info, then its entries in order (links for the lazy kinds)', () => {
  assert.deepEqual(resolve(root, [], P), {
    local: 1,
    v: { x: 1 },
    si: { k: { deep: 'yes' } },
    st: { href: `${P}/st` },
    dl: { href: `${P}/dl` },
    fw: { href: `${P}/fw` },
    coll: { href: `${P}/coll` },
  });
});

test('each kind resolves the rest of the path as the original does', () => {
  assert.equal(resolve(root, ['si', 'k', 'deep'], P), 'yes');
  assert.deepEqual(resolve(root, ['st'], P), { at: `${P}/st` });
  // A VALUE ignores whatever follows it (quirk).
  assert.deepEqual(resolve(root, ['v', 'anything', 'else'], P), { x: 1 });
  // DELEGATE: the target resolves the rest under prefix/dl.
  assert.deepEqual(resolve(root, ['dl'], P), { here: `${P}/dl`, nested: { a: [1, 2] }, v: 'val' });
  assert.deepEqual(resolve(root, ['dl', 'nested', 'a'], P), [1, 2]);
  // FORWARD: the target resolves the whole path with the same prefix.
  assert.deepEqual(resolve(root, ['fw'], P), { at: `${P}/fw` });
  // COLLECTION: items with a Python-quoted href; an item by id.
  assert.deepEqual(resolve(root, ['coll'], P), [
    { id: 'a b', extra: 1, href: `${P}/coll/a%20b` },
    { id: "it's/x", href: `${P}/coll/it%27s/x` },
  ]);
  assert.equal((resolve(root, ['coll', 'a b'], P) as { here: string }).here, `${P}/coll/a%20b`);
  // A segment that is no entry: looked up in the rendered object.
  assert.equal(resolve(root, ['local'], P), 1);
});

test('404 texts: quoted key after a dict lookup, bare id after a collection, at the failing prefix', () => {
  assert.equal(notFound(['nope']), `No such looking glass object: 'nope' at ${P}/nope`);
  assert.equal(notFound(['si', 'k', 'nope']), `No such looking glass object: 'nope' at ${P}/si`);
  assert.equal(notFound(['coll', 'zz']), `No such looking glass object: zz at ${P}/coll`);
  assert.equal(notFound(['dl', 'nested', 'a', '0']), `No such looking glass object: '0' at ${P}/dl/nested`, 'lists cannot be indexed');
  assert.equal(notFound(['si', "it's"]), `No such looking glass object: "it's" at ${P}/si`, 'Python repr of the key');
});

test('quote is urllib.parse.quote with "/" safe; absolute references keep the root of the prefix', () => {
  assert.equal(quote("a b!*'()~_.-:/@"), 'a%20b%21%2A%27%28%29~_.-%3A/%40');
  assert.equal(absolute(`${P}/vpns/instances/x/received_routes`, ['bgp', 'workers', 'VRF 1']), `${P}/bgp/workers/VRF%201`);
});
