import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordText } from '../record-bytes.js';
import { decodeLine, encodeLine } from './spool-line.js';

test('spool lines: encoded, then decoded from a buffer of several lines, give kind, seq and the same record', () => {
  const records: [Parameters<typeof encodeLine>[0], number, string][] = [
    ['complete', 1, '{"id":"a","text":"é…😀"}'],
    ['start', 42, '{}'],
    ['end', 9_007_199_254_740_991, '{"x":"\\n"}'],
  ];
  const buf = Buffer.from(records.map(([k, s, j]) => encodeLine(k, s, j)).join(''));
  let start = 0;
  for (const [kind, seq, json] of records) {
    const nl = buf.indexOf(10, start);
    const item = decodeLine(buf, start, nl);
    assert.ok(item);
    assert.deepEqual([item.kind, item.seq, recordText(item)], [kind, seq, json]);
    start = nl + 1;
  }
});

test('spool lines: torn or foreign lines are refused', () => {
  for (const line of [
    '',
    'c',
    'c1',
    'c\t{}',
    'x1\t{}',
    'c1{}',
    'cx\t{}',
    'c1\t',
    'c1\t{',
    'c1\t}',
    'c1\t{"a":1',
    'c1.5\t{}',
    'c+1\t{}',
    'c99999999999999999\t{}', // past Number.MAX_SAFE_INTEGER
  ]) {
    const buf = Buffer.from(`${line}\nc7\t{}\n`);
    assert.equal(decodeLine(buf, 0, buf.indexOf(10)), undefined, JSON.stringify(line));
  }
});
