import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../shared/mulberry32.js';
import { gzipChunkBytes } from './http-transport.js';

test('gzipChunkBytes: a body that compresses as the last one did fits one chunk; 16 KiB to 256 KiB', () => {
  const random = mulberry32(0x9e1);
  const word = (): string => Math.floor(random() * 2 ** 32).toString(36);
  const records = Array.from(
    { length: 1000 },
    (_, i) => `{"id":"${word()}-${i}","inputs":{"q":"${word()} ${word()}?"},"output":"${word()}"}`,
  );
  const raw = Buffer.from(`{"batch":[${records.join(',')}]}`);
  const first = gzipSync(raw, { level: 1 });
  const ratio = raw.length / first.length;
  const chunk = gzipChunkBytes(raw.length, ratio);
  assert.ok(chunk % 4096 === 0 && chunk >= first.length, `${chunk} B for ${first.length} B gzipped`);
  assert.ok(chunk <= 1.25 * first.length + 4096, `${chunk} B: no more than a quarter unused`);
  assert.equal(gzipChunkBytes(100, 10), 16 * 1024);
  assert.equal(gzipChunkBytes(100 * 1024 * 1024, 2), 256 * 1024);
  assert.equal(gzipChunkBytes(64 * 1024, 0), 80 * 1024, 'a ratio below 1 counts as 1');
});
