import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { mulberry32 } from '../shared/mulberry32.js';
import { compressBody, compressedChunkBytes, type BodyEncoding } from './body-compression.js';

const DECODE: Record<BodyEncoding, (b: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync };

/** A batch body of `n` call-like records, with random words (compresses as records do, not better). */
function batchBody(n: number, seed: number): Buffer {
  const random = mulberry32(seed);
  const word = (): string => Math.floor(random() * 2 ** 32).toString(36);
  const records = Array.from(
    { length: n },
    (_, i) => `{"id":"${word()}-${i}","inputs":{"q":"${word()} ${word()}?"},"output":"${word()}"}`,
  );
  return Buffer.from(`{"batch":[${records.join(',')}]}`);
}

test('compressedChunkBytes: a body that compresses as the last one did fits one chunk; 16 KiB to 256 KiB', async () => {
  const raw = batchBody(1000, 0x9e1);
  for (const encoding of ['br', 'gzip'] as const) {
    const first = await compressBody(raw, encoding, 8);
    const ratio = raw.length / first.length;
    const chunk = compressedChunkBytes(raw.length, ratio);
    assert.ok(chunk % 4096 === 0 && chunk >= first.length, `${encoding}: ${chunk} B for ${first.length} B`);
    assert.ok(chunk <= 1.25 * first.length + 4096, `${encoding}: ${chunk} B, no more than a quarter unused`);
    const second = await compressBody(raw, encoding, ratio);
    assert.equal(second.buffer.byteLength, chunk, `${encoding}: the second body is one chunk`);
  }
  assert.equal(compressedChunkBytes(100, 10), 16 * 1024);
  assert.equal(compressedChunkBytes(100 * 1024 * 1024, 2), 256 * 1024);
  assert.equal(compressedChunkBytes(64 * 1024, 0), 80 * 1024, 'a ratio below 1 counts as 1');
});

test('compressBody: brotli and gzip, on the event loop and (past 1 MiB) in the thread pool, decode to the body', async () => {
  for (const raw of [batchBody(1000, 7), batchBody(20_000, 8)]) {
    for (const encoding of ['br', 'gzip'] as const) {
      const out = compressBody(raw, encoding, 1);
      assert.equal(
        out instanceof Promise,
        raw.length > 1024 * 1024,
        `${raw.length} B: async only when large`,
      );
      const body = await out;
      assert.ok(body.length < raw.length / 2, `${encoding}: ${raw.length} B -> ${body.length} B`);
      assert.ok(DECODE[encoding](body).equals(raw), `${encoding} of ${raw.length} B decodes to the body`);
    }
  }
});
