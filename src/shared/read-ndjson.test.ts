import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readNdjson } from './read-ndjson.js';

function bodyOf(chunks: string[], pulled: { count: number; cancelled: boolean }): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = bytes[pulled.count++];
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
      cancel() {
        pulled.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

test('lines split across chunks, multi-byte characters split across chunks, blank lines, no final newline', async () => {
  const euro = new TextEncoder().encode('{"s":"€"}\n');
  const pulled = { count: 0, cancelled: false };
  const chunks = ['{"a":1}\n{"b"', ':2}\n\n', new TextDecoder().decode(euro), '{"c":3}'];
  const out: unknown[] = [];
  for await (const v of readNdjson(bodyOf(chunks, pulled))) out.push(v);
  assert.deepEqual(out, [{ a: 1 }, { b: 2 }, { s: '€' }, { c: 3 }]);

  // a euro sign cut between two chunks still decodes
  const whole = new TextEncoder().encode('{"s":"€"}\n');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(whole.subarray(0, 7));
      controller.enqueue(whole.subarray(7));
      controller.close();
    },
  });
  const split: unknown[] = [];
  for await (const v of readNdjson(body)) split.push(v);
  assert.deepEqual(split, [{ s: '€' }]);
});

test('a consumer that stops early cancels the body and reads no further', async () => {
  const pulled = { count: 0, cancelled: false };
  const chunks = Array.from({ length: 100 }, (_, i) => `{"i":${i}}\n`);
  for await (const v of readNdjson<{ i: number }>(bodyOf(chunks, pulled))) {
    if (v.i === 2) break;
  }
  assert.equal(pulled.cancelled, true);
  assert.ok(pulled.count <= 4, `read ${pulled.count} chunks for 3 values`);
});

test('a malformed line rejects with the JSON error', async () => {
  const pulled = { count: 0, cancelled: false };
  await assert.rejects(async () => {
    for await (const _ of readNdjson(bodyOf(['{"a":1}\n', 'nope\n'], pulled))) void _;
  }, SyntaxError);
});
