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

/** Resolves once `check()` is true, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function endlessSource() {
  const state = { produced: 0, closed: false };
  async function* rows() {
    try {
      for (;;) yield { n: ++state.produced, pad: 'x'.repeat(100) };
    } finally {
      state.closed = true;
    }
  }
  return { state, rows: rows() };
}

test('a consumer that takes nothing for idleTimeoutMs has the source closed and onIdle called', async () => {
  const { state, rows } = endlessSource();
  let idle = 0;
  let closes = 0;
  const stream = await ndjsonStream(rows, {
    chunkBytes: 1024,
    idleTimeoutMs: 50,
    onIdle: () => ++idle > 0,
    onClose: () => closes++,
  });
  const reader = stream.getReader();
  assert.equal((await reader.read()).done, false);
  await until(() => state.closed);
  assert.equal(idle, 1);
  assert.equal(closes, 1);
  const producedAtClose = state.produced;
  assert.ok(producedAtClose < 100, `read ahead: ${producedAtClose} rows`);
});

test('without an onIdle that tears down the transport, an idle stream errors STREAM_IDLE_TIMEOUT', async () => {
  const { state, rows } = endlessSource();
  const stream = await ndjsonStream(rows, { chunkBytes: 1024, idleTimeoutMs: 30 });
  const reader = stream.getReader();
  await reader.read();
  await until(() => state.closed);
  // The chunk made before the abort may still be queued; the stream then errors.
  await assert.rejects(
    (async () => {
      for (;;) if ((await reader.read()).done) return;
    })(),
    (err: unknown) => (err as { code?: string }).code === 'STREAM_IDLE_TIMEOUT',
  );
});

test('a consumer that keeps reading is never timed out; an untaken last chunk still is', async () => {
  let closes = 0;
  let idle = 0;
  async function* slowRows() {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40)); // a slow source is not an idle client
      yield { i };
    }
  }
  const stream = await ndjsonStream(slowRows(), {
    chunkBytes: 1,
    idleTimeoutMs: 20,
    onIdle: () => ++idle > 0,
    onClose: () => closes++,
  });
  let lines = 0;
  for await (const chunk of stream) lines += Buffer.from(chunk).toString().split('\n').length - 1;
  assert.equal(lines, 5);
  assert.equal(idle, 0);
  assert.equal(closes, 1);

  async function* twoRows() {
    yield 1;
    yield 2;
  }
  const tail = await ndjsonStream(twoRows(), {
    chunkBytes: 1_000_000,
    idleTimeoutMs: 20,
    onIdle: () => ++idle > 0,
    onClose: () => closes++,
  });
  // The last chunk is made at once but never taken: the transport is torn down all the same.
  await until(() => idle === 1);
  assert.equal(closes, 2, 'the source was released once it ran out, before its last chunk was taken');
  await tail.cancel();
});

test('onClose runs exactly once however the source ends: exhausted, failed, cancelled', async () => {
  let closes = 0;
  const onClose = () => closes++;
  async function* three() {
    yield* [1, 2, 3];
  }
  for await (const _ of await ndjsonStream(three(), { chunkBytes: 10, onClose })) {
    /* drain */
  }
  assert.equal(closes, 1);

  // eslint-disable-next-line require-yield
  async function* failsAtOnce(): AsyncGenerator<unknown> {
    throw new Error('bad query');
  }
  await assert.rejects(ndjsonStream(failsAtOnce(), { chunkBytes: 10, onClose }), /bad query/);
  assert.equal(closes, 2);

  async function* failsLater() {
    yield 1;
    throw new Error('disk gone');
  }
  const failing = await ndjsonStream(failsLater(), { chunkBytes: 1000, onClose });
  await assert.rejects(async () => {
    for await (const _ of failing) {
      /* drain */
    }
  }, /disk gone/);
  assert.equal(closes, 3);

  const { state, rows } = endlessSource();
  const cancelled = await ndjsonStream(rows, { chunkBytes: 1024, onClose });
  const reader = cancelled.getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(state.closed, true);
  assert.equal(closes, 4);
});

test('a source that never waits still lets timers run: serialisation yields every timeSliceMs', async () => {
  const { rows } = endlessSource(); // yields without ever awaiting anything: microtasks only
  const stream = await ndjsonStream(rows, { chunkBytes: 4096, timeSliceMs: 2 });
  const reader = stream.getReader();
  let timerRan = false;
  setTimeout(() => (timerRan = true), 0);
  let chunks = 0;
  const started = performance.now();
  while (!timerRan && chunks < 200_000) {
    await reader.read();
    chunks++;
  }
  await reader.cancel();
  assert.equal(timerRan, true, `a timer waited for ${chunks} chunks`);
  assert.ok(performance.now() - started < 1000, 'the event loop turned within a second');
});
