import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ConfigError } from '../../src/config/errors.js';
import { formatIni, formatIniValue, normalizeSectionName, normalizedSections, parseIni } from '../../src/config/ini.js';
import type { IniFile } from '../../src/config/ini.js';
import { pyInt, pyRepr, pyStr, pyStrip } from '../../src/config/py.js';
import { escapeDollars, substitute } from '../../src/config/substitute.js';
import type { SubstitutionScope } from '../../src/config/substitute.js';

function values(ini: IniFile): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [name, section] of ini.sections) {
    const s: Record<string, string[]> = {};
    for (const a of section.assignments) (s[a.key] ??= []).push(a.value);
    out[name] = s;
  }
  return out;
}

function parseFails(text: string, line: number, message: string): void {
  assert.throws(
    () => parseIni(text, '/etc/x.conf'),
    (e: unknown) => e instanceof ConfigError && e.code === 'parse' && e.file === '/etc/x.conf' && e.line === line && e.message === message,
  );
}

test('ini: sections, both separators, comments, repeated keys and sections', () => {
  const ini = parseIni('# c\n; c\n[A]\nx = 1\ny: 2\nz = a: b\nw : a = b\nx=3\n\n[b]\nk=v\n[A]\nx = 4\n', 'f');
  assert.deepEqual(values(ini), { A: { x: ['1', '3', '4'], y: ['2'], z: ['a: b'], w: ['a = b'] }, b: { k: ['v'] } });
  assert.equal(ini.sections.get('A')?.line, 3);
  assert.deepEqual(
    ini.sections.get('A')?.assignments.map((a) => a.line),
    [4, 5, 6, 7, 8, 13],
  );
});

test('ini: continuation lines, indented comments and sections continue the value', () => {
  const ini = parseIni('[s]\nk = a\n  b  \n\t# c\n   [d]\nj = x\n\nm =\n  n\n', 'f');
  assert.deepEqual(values(ini), { s: { k: ['a\nb\n# c\n[d]'], j: ['x'], m: ['\nn'] } });
});

test('ini: quotes are removed only when both ends match', () => {
  const ini = parseIni(`[s]\na = "x y"\nb = ' z '\nc = "\nd = "x'\ne = ""\nf = 'x"y'\ng = "a"b"\nh = x "y"\n`, 'f');
  assert.deepEqual(values(ini).s, { a: ['x y'], b: [' z '], c: [''], d: [`"x'`], e: [''], f: ['x"y'], g: ['a"b'], h: ['x "y"'] });
});

test('ini: Python whitespace rules (form feed, \\x1c, NBSP stripped; BOM kept)', () => {
  const ini = parseIni('[s]\na = \u00a0x\x0c\nb = y\x1c\n', 'f');
  assert.deepEqual(values(ini).s, { a: ['x'], b: ['y'] });
  assert.equal(pyStrip('\ufeffx'), '\ufeffx');
});

test('ini: line ends \\n, \\r\\n, \\r; a final newline is not an extra line', () => {
  assert.deepEqual(values(parseIni('[s]\r\na=1\rb=2\nc=3', 'f')).s, { a: ['1'], b: ['2'], c: ['3'] });
  parseFails('x=1\n', 1, "Failed to parse /etc/x.conf: at /etc/x.conf:1, Section must be started before assignment: None");
  parseFails('\nx=1\n\n', 3, "Failed to parse /etc/x.conf: at /etc/x.conf:3, Section must be started before assignment: None");
});

test('ini: errors carry file, line and the offending line (Python repr)', () => {
  parseFails('[s]\n  x\n', 2, "Failed to parse /etc/x.conf: at /etc/x.conf:2, Unexpected continuation line: '  x'");
  parseFails('[s]\na=1\n# c\n  x\n', 4, "Failed to parse /etc/x.conf: at /etc/x.conf:4, Unexpected continuation line: '  x'");
  parseFails('[s\n', 1, "Failed to parse /etc/x.conf: at /etc/x.conf:1, Invalid section (must end with ]): '[s'");
  parseFails('[s]\n[]\n', 2, "Failed to parse /etc/x.conf: at /etc/x.conf:2, Empty section name: '[]'");
  parseFails("[s]\nit's\n", 2, `Failed to parse /etc/x.conf: at /etc/x.conf:2, No ':' or '=' found in assignment: "it's"`);
  parseFails('[s]\n=1\n', 2, "Failed to parse /etc/x.conf: at /etc/x.conf:2, Key cannot be empty: '=1'");
  parseFails('\ufeff[s]\n', 1, "Failed to parse /etc/x.conf: at /etc/x.conf:1, No ':' or '=' found in assignment: '\\ufeff[s]'");
});

test('ini: section names normalise to lower case except DEFAULT', () => {
  assert.equal(normalizeSectionName('BGP'), 'bgp');
  assert.equal(normalizeSectionName('Bgp'), 'bgp');
  assert.equal(normalizeSectionName('DEFAULT'), 'DEFAULT');
  assert.equal(normalizeSectionName('default'), 'default');
  assert.equal(normalizeSectionName('Default'), 'default');
  const merged = normalizedSections(parseIni('[BGP]\na=1\n[bgp]\na=2\n[BGP]\na=3\n[DEFAULT]\nd=1\n[default]\nd=2\n', 'f'));
  assert.deepEqual(
    merged.get('bgp')?.map((a) => a.value),
    ['1', '2', '3'],
  );
  assert.deepEqual(
    merged.get('DEFAULT')?.map((a) => a.value),
    ['1'],
  );
  assert.deepEqual(
    merged.get('default')?.map((a) => a.value),
    ['2'],
  );
});

test('ini: formatIniValue refuses what no line can hold', () => {
  assert.equal(formatIniValue(' x '), '" x "');
  assert.equal(formatIniValue('"x"'), '""x""');
  assert.equal(formatIniValue("'"), `"'"`);
  assert.equal(formatIniValue('a\nb'), 'a\n    b');
  assert.throws(() => formatIniValue('a\n\nb'), RangeError);
  assert.throws(() => formatIniValue('a\n b'), RangeError);
  assert.throws(() => formatIniValue('a\rb'), RangeError);
  assert.throws(() => formatIni([{ name: 'x ', entries: [] }]), RangeError);
  assert.throws(() => formatIni([{ name: 's', entries: [{ key: 'a=b', value: '1' }] }]), RangeError);
});

const keyArb = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,10}$/);
const lineArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const valueArb = fc
  .tuple(
    lineArb,
    fc.array(
      lineArb.filter((s) => s !== '' && pyStrip(s) === s),
      { maxLength: 2 },
    ),
  )
  .map(([head, rest]) => [head, ...rest].join('\n'));

test('ini: formatIni output parses back to the same assignments (property)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_:. -]{0,8}[A-Za-z0-9]$/),
          entries: fc.array(fc.record({ key: keyArb, value: valueArb }), { maxLength: 5 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      (sections) => {
        const unique = [...new Map(sections.map((s) => [s.name, s])).values()];
        const text = formatIni(unique);
        const parsed = parseIni(text, 'f');
        for (const s of unique) {
          assert.deepEqual(
            parsed.sections.get(s.name)?.assignments.map((a) => [a.key, a.value]),
            s.entries.map((e) => [e.key, e.value]),
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('py: repr, int and str as Python', () => {
  assert.equal(pyRepr('a'), "'a'");
  assert.equal(pyRepr("it's"), `"it's"`);
  assert.equal(pyRepr(`it's "x"`), `'it\\'s "x"'`);
  assert.equal(pyRepr('a\\b\n\t\x01\x7f\u00a0\u200b\u{1f600}é'), "'a\\\\b\\n\\t\\x01\\x7f\\xa0\\u200b\u{1f600}é'");
  assert.equal(pyInt(' 42 '), 42);
  assert.equal(pyInt('+1_000'), 1000);
  assert.equal(pyInt('-007'), -7);
  assert.equal(pyInt('\u0663\u0664'), 34);
  assert.equal(pyInt('\u{1d7d8}'), 0);
  assert.equal(pyInt('\u{1d7e1}'), 9);
  assert.equal(pyInt('1__0'), undefined);
  assert.equal(pyInt('_1'), undefined);
  assert.equal(pyInt('0x10'), undefined);
  assert.equal(pyInt('1.0'), undefined);
  assert.equal(pyInt(''), undefined);
  assert.equal(pyStr(true), 'True');
  assert.equal(pyStr(['a', "b'"]), `['a', "b'"]`);
  assert.equal(pyStr(7), '7');
});

const scope: SubstitutionScope = {
  hasGroup: (g) => g === 'BGP' || g === 'COMMON',
  hasOption: (g, n) => (g === 'BGP' && ['my_as', 'peers'].includes(n)) || (g === 'DEFAULT' && n === 'debug') || (g === 'COMMON' && n === 'unset'),
  value: (g, n) => (({ 'BGP.my_as': 64512, 'BGP.peers': ['1.1.1.1'], 'DEFAULT.debug': false, 'COMMON.unset': null }) as Record<string, unknown>)[`${g}.${n}`],
};

test('substitution: escapes, references, Python str of values', () => {
  assert.equal(substitute('a $$ \\$b $ ${', 'COMMON', scope), 'a $ $b $ ${');
  assert.equal(substitute('$BGP.my_as/${BGP.peers}/$debug/${unset}.', 'COMMON', scope), '64512/[\'1.1.1.1\']/False/.');
  assert.equal(substitute('$my_as', 'BGP', scope), '64512');
  assert.throws(() => substitute('$my_as', 'COMMON', scope), /^ConfigError: no such option my_as in group \[DEFAULT\]$/);
  assert.throws(() => substitute('${bgp.my_as}', 'COMMON', scope), /no such group \[bgp\]/);
  assert.throws(() => substitute('$BGP.nope', 'COMMON', scope), /no such option BGP.nope in group \[DEFAULT\]/);
  assert.throws(() => substitute('$BGP', 'COMMON', scope), /substituting group BGP not supported/);
});

test('substitution: escapeDollars is inverted by substitute (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('$', '\\', 'a', '{', '}', '.', ' ') }), (s) => {
      const noRefs: SubstitutionScope = { hasGroup: () => false, hasOption: () => false, value: () => null };
      assert.equal(substitute(escapeDollars(s), 'COMMON', noRefs), s);
    }),
    { numRuns: 500 },
  );
});
