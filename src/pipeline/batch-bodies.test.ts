import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodySize, writeBody, type BodyItem, type GroupKind } from './batch-bodies.js';
import { recordBytesOf, SlabWriter } from './record-bytes.js';
import type { ItemKind } from './send-queue.js';

const RECORDS = ['{}', '{"a":"ü"}', '{"b":"😀","c":[1,2]}', `{"d":"${'x'.repeat(300)}"}`];

function items(kinds: ItemKind[]): BodyItem[] {
  return kinds.map((kind, i) => ({ kind, ...recordBytesOf(RECORDS[i % RECORDS.length]!) }));
}

/** The body as the string the endpoint expects, built the obvious way. */
function expected(kind: GroupKind, list: BodyItem[]): string {
  const json = list.map((_, i) => RECORDS[i % RECORDS.length]!);
  if (kind === 'complete') return `{"batch":[${json.join(',')}]}`;
  if (kind === 'halves') {
    return `{"batch":[${list.map((it, i) => `{"mode":"${it.kind}","req":{"${it.kind}":${json[i]}}}`).join(',')}]}`;
  }
  return `{"${kind}":${json[0]}}`;
}

test('batch bodies: exact size, the same bytes as the string body, for every kind', () => {
  const cases: [GroupKind, ItemKind[]][] = [
    ['complete', []],
    ['complete', ['complete']],
    ['complete', ['complete', 'complete', 'complete', 'complete', 'complete']],
    ['halves', ['start', 'end', 'end', 'start']],
    ['start', ['start']],
    ['end', ['end']],
  ];
  for (const [kind, kinds] of cases) {
    const list = items(kinds);
    const want = Buffer.from(expected(kind, list));
    assert.equal(bodySize(kind, list), want.length, `${kind} x${kinds.length}`);
    // Written into a larger, dirty buffer (as a pooled one is): only the first bytes are the body.
    const buf = Buffer.alloc(want.length + 16, 0x7e);
    writeBody(kind, list, buf);
    assert.deepEqual(buf.subarray(0, want.length), want);
    assert.equal(buf[want.length], 0x7e);
    JSON.parse(buf.toString('utf8', 0, want.length));
  }
});

test('batch bodies: records at offsets of a shared slab are copied from their own range', () => {
  const slab = Buffer.from('junk{"x":1}junk{"y":"é"}junk');
  const list: BodyItem[] = [
    { kind: 'complete', slab, at: 4, len: 7 },
    { kind: 'complete', slab, at: 15, len: 10 },
  ];
  const body = Buffer.alloc(bodySize('complete', list));
  writeBody('complete', list, body);
  assert.equal(body.toString(), '{"batch":[{"x":1},{"y":"é"}]}');
});

test('batch bodies: runs of records the slab writer wrote one after the other are copied with their commas', () => {
  const writer = new SlabWriter();
  const texts = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ i, t: i % 7 === 0 ? 'é😀' : 'x'.repeat(i) }),
  );
  const list: BodyItem[] = [];
  writer.writeRun(texts.slice(0, 20), (r) => list.push({ kind: 'complete', ...r }));
  // Between runs: a record of its own buffer, and one in another buffer followed by a newline, not a comma.
  list.push({ kind: 'complete', ...recordBytesOf('{"own":1}') });
  const other = Buffer.from('{"nl":1}\n{"nl":2}\n');
  list.push(
    { kind: 'complete', slab: other, at: 0, len: 8 },
    { kind: 'complete', slab: other, at: 9, len: 8 },
  );
  for (const t of texts.slice(20)) {
    const r = { slab: Buffer.alloc(0), at: 0, len: 0 };
    writer.write(t, r);
    list.push({ kind: 'complete', ...r });
  }
  const want = `{"batch":[${[...texts.slice(0, 20), '{"own":1}', '{"nl":1}', '{"nl":2}', ...texts.slice(20)].join(',')}]}`;
  const body = Buffer.alloc(bodySize('complete', list));
  writeBody('complete', list, body);
  assert.equal(body.toString(), want);
  // Taken out of order (a retry's halves), the runs are cut where the records no longer follow.
  const shuffled = [list[3]!, list[1]!, list[2]!, list[0]!];
  const part = Buffer.alloc(bodySize('complete', shuffled));
  writeBody('complete', shuffled, part);
  assert.equal(part.toString(), `{"batch":[${[texts[3], texts[1], texts[2], texts[0]].join(',')}]}`);
});
