import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ndjsonStream } from './ndjson-stream.js';

test('writes one JSON value per line, in chunks', async () => {
  async function* rows() {
    for (let i = 0; i < 1000; i++) yield { i, s: 'é' };
  }
  const stream = await ndjsonStream(rows(), { chunkBytes: 1024 });
  let chunks = 0;
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    chunks++;
    text += decoder.decode(chunk, { stream: true });
  }
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 1000);
  assert.deepEqual(JSON.parse(lines[999] ?? ''), { i: 999, s: 'é' });
  assert.ok(chunks > 10 && chunks < 100, `chunks: ${chunks}`);
});

test('pulls from an endless source only as fast as it is read, and closes it on cancel', async () => {
  let produced = 0;
  let closed = false;
  async function* endless() {
    try {
      for (;;) {
        produced++;
        yield { n: produced };
      }
    } finally {
      closed = true;
    }
  }
  const stream = await ndjsonStream(endless(), { chunkBytes: 4096 });
  const reader = stream.getReader();
  for (let i = 0; i < 3; i++) assert.equal((await reader.read()).done, false);
  const afterThree = produced;
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(produced - afterThree < 1000, 'the stream must not read ahead without bound');
  await reader.cancel();
  assert.equal(closed, true);
});

test('an error before the first row rejects; a later one errors the stream', async () => {
  // eslint-disable-next-line require-yield
  async function* failsAtOnce(): AsyncGenerator<unknown> {
    throw new Error('bad query');
  }
  await assert.rejects(ndjsonStream(failsAtOnce(), { chunkBytes: 10 }), /bad query/);

  const errors: unknown[] = [];
  async function* failsLater() {
    yield 1;
    throw new Error('disk gone');
  }
  const stream = await ndjsonStream(failsLater(), { chunkBytes: 1_000_000, onError: (e) => errors.push(e) });
  await assert.rejects(async () => {
    for await (const _ of stream) {
      /* drain */
    }
  }, /disk gone/);
  assert.equal(errors.length, 1);
});

test('pre-encoded lines of any size and script arrive intact, in chunks of about chunkBytes', async () => {
  const lines = [
    '{"s":"é😀"}',
    `{"big":"${'ü'.repeat(5000)}"}`, // longer than a chunk: the chunk grows for it
    ...Array.from({ length: 300 }, (_, i) => `{"i":${i},"s":"${'ß'.repeat(i % 7)}"}`),
  ];
  async function* source() {
    yield* lines;
  }
  const stream = await ndjsonStream(source(), { chunkBytes: 1024, preEncoded: true });
  const sizes: number[] = [];
  const bytes: Uint8Array[] = [];
  for await (const chunk of stream) {
    sizes.push(chunk.byteLength);
    bytes.push(chunk);
  }
  assert.equal(Buffer.concat(bytes).toString('utf8'), `${lines.join('\n')}\n`);
  assert.ok(
    sizes.slice(0, -1).every((n) => n >= 1024),
    `chunk sizes: ${sizes.join(' ')}`,
  );
  assert.ok(
    sizes.every((n) => n < 1024 + 200 || n > 10_000),
    `chunk sizes: ${sizes.join(' ')}`,
  );
});
