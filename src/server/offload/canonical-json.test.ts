import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalEnd, skipValue } from './canonical-json.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const canonical = (text: string, maxDepth = 500) =>
  canonicalEnd(bytes(text), 0, maxDepth) === bytes(text).length;

/** Values as JSON.stringify writes them: each is canonical, and ends where its text ends. */
const STRINGIFIED: unknown[] = [
  {},
  [],
  { a: 1, b: [true, false, null], c: { d: 'x' } },
  { text: 'quote " backslash \\ newline \n tab \t cr \r bs \b ff \f nul \u0000 unit \u001f' },
  { s: 'é ü 日本 😀 \u2028 \u2029 \u007f /' },
  [0, -1, 1.5, -2.25, 1e21, 1e-7, 123456789012345, Number('1234567890123456789'), 0.1 + 0.2, 5e-324, -1e308],
  { nested: [[[[{ x: [] }]]]], 'key with "quotes"': 1, 'k\\': 2, 'k\n': 3 },
  'a string on its own',
  { __proto__key: 1, ['__proto__']: 2, constructor: 3 },
];

test('what JSON.stringify writes is canonical, and ends where its text ends', () => {
  for (const value of STRINGIFIED) {
    const text = JSON.stringify(value);
    assert.equal(canonicalEnd(bytes(text), 0, 500), bytes(text).length, text);
    assert.equal(skipValue(bytes(text), 0), bytes(text).length, text);
  }
  // Followed by more of a body: the end is the value's own.
  assert.equal(canonicalEnd(bytes('{"a":[1,2]},"b":3}'), 0, 500), 11);
});

test('text that parsing and serialising would change is not canonical, but still valid', () => {
  const changed = [
    '{ "a": 1 }', // whitespace
    '{"a":1,"a":2}', // duplicate key (the parse keeps the last)
    '{"b":1,"1":2}', // an array-index key (V8 lists it first)
    '{"0":1}',
    '[1.0]',
    '[1E3]',
    '[1e21]', // String(1e21) is 1e+21
    '[-0]',
    '[0.10]',
    '["\\u0041"]', // stringify writes A
    '["\\/"]',
    '["\\u00E9"]',
    '["\\ud83d\\ude00"]', // a pair: stringify writes the character
    '["\\ud800"]', // a lone surrogate (stringify writes \\ud800, kept out for simplicity)
    '["\\u001F"]', // upper-case hex
    '[12345678901234567890]', // spelled 12345678901234567000
  ];
  for (const text of changed) {
    assert.equal(canonical(text), false, text);
    assert.doesNotThrow(() => JSON.parse(text), `${text} is valid JSON`);
    // Kept out on purpose although a round trip may give them back: duplicates, index keys, \ud800.
    if (!/"a":1,"a"|"0"|ud800/.test(text)) {
      assert.notEqual(JSON.stringify(JSON.parse(text)), text, `${text} does change`);
    }
  }
});

test('malformed JSON, 1e400, invalid UTF-8 and too deep values are not canonical', () => {
  for (const text of [
    '{"a":}',
    '[1,]',
    '{"a" 1}',
    '["x',
    '[01]',
    '[1.]',
    '[-]',
    '["\u0001"]',
    '[tru]',
    '[1e400]',
  ]) {
    assert.equal(canonical(text), false, text);
  }
  assert.equal(JSON.parse('[1e400]')[0], Infinity, '1e400 is valid JSON (the usual check refuses it)');
  const invalidUtf8 = Buffer.concat([bytes('["'), Buffer.from([0xff, 0xfe]), bytes('"]')]);
  assert.equal(canonicalEnd(invalidUtf8, 0, 500), -1);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.equal(canonical(deep(500)), true);
  assert.equal(canonical(deep(501)), false);
  assert.equal(canonical(deep(3), 3), true);
  assert.equal(canonical(deep(4), 3), false);
  // 100 000 levels: no stack overflow on either scan.
  assert.equal(canonical(deep(100_000)), false);
  assert.equal(skipValue(bytes(deep(100_000)), 0), 200_000);
});

test('random values: canonical exactly when stringify(parse(text)) gives the text back', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const atoms = [
    '1',
    '-0',
    '0',
    '1.5',
    '1e2',
    '2.50',
    '"a"',
    '"\\u0041"',
    '"\\n"',
    '" "',
    'true',
    'null',
    '"é"',
    '"\\u0007"',
  ];
  const gen = (depth: number): string => {
    const r = rand();
    if (depth > 3 || r < 0.4) return pick(atoms);
    if (r < 0.7)
      return `[${Array.from({ length: Math.floor(rand() * 3) }, () => gen(depth + 1)).join(pick([',', ', ']))}]`;
    const keys = Array.from({ length: Math.floor(rand() * 3) }, () => pick(['"a"', '"b"', '"1"', '"c"']));
    return `{${keys.map((k) => `${k}${pick([':', ' : '])}${gen(depth + 1)}`).join(',')}}`;
  };
  let canonicals = 0;
  for (let i = 0; i < 3000; i++) {
    const text = gen(0);
    const same = JSON.stringify(JSON.parse(text)) === text;
    if (canonical(text)) {
      canonicals++;
      assert.ok(same, `canonical but changed by a round trip: ${text}`);
    } else if (same) {
      // Allowed only for what the scan keeps out on purpose: duplicate keys equal in place, index keys.
      assert.match(text, /"1"|"(\w)":.*"\1":/, `round-trips but not canonical: ${text}`);
    }
  }
  assert.ok(canonicals > 300, `${canonicals} canonical of 3000`);
});

test('skipValue finds the end of every valid value', () => {
  const values = [...STRINGIFIED, ' ', { a: '\\\\"', b: ['"', '\\'] }, 12.5e3, -0.5, true, null];
  for (const value of values) {
    const text = `${JSON.stringify(value)},"next":1}`;
    assert.equal(skipValue(bytes(text), 0), bytes(JSON.stringify(value)).length, text);
  }
  assert.equal(skipValue(bytes('"unterminated'), 0), -1);
  assert.equal(skipValue(bytes('[1,2'), 0), -1);
});
