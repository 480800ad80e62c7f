import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ValidationError } from '../shared/errors.js';
import { HttpError } from './http-error.js';
import { readBody, readJsonObject } from './read-body.js';

function request(
  body: Uint8Array<ArrayBuffer> | string | ReadableStream,
  headers: Record<string, string> = {},
): Request {
  return new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** A body delivered in chunks without Content-Length, as a chunked upload. */
function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
}

describe('readBody', () => {
  test('reads plain, gzip and brotli bodies', async () => {
    assert.equal((await readBody(request('{"a":1}'), 100)).toString(), '{"a":1}');
    const br = new Uint8Array(brotliCompressSync('{"a":3}'));
    assert.equal((await readBody(request(br, { 'content-encoding': 'br' }), 100)).toString(), '{"a":3}');
    assert.equal((await readBody(request(br, { 'content-encoding': ' BR ' }), 100)).toString(), '{"a":3}');
    const gz = new Uint8Array(gzipSync('{"a":2}'));
    assert.equal((await readBody(request(gz, { 'content-encoding': 'gzip' }), 100)).toString(), '{"a":2}');
    assert.equal((await readBody(request(gz, { 'content-encoding': 'x-gzip' }), 100)).toString(), '{"a":2}');
  });

  test('refuses a declared or streamed body over the cap with 413', async () => {
    await assert.rejects(
      readBody(request('x'.repeat(101)), 100),
      (e: unknown) => e instanceof HttpError && e.status === 413,
    );
    await assert.rejects(
      readBody(request(chunked(20, 10)), 100),
      (e: unknown) => e instanceof HttpError && e.status === 413,
    );
    assert.equal((await readBody(request(chunked(10, 10)), 100)).length, 100);
  });

  test('a zip bomb, gzip or brotli, stops at the cap instead of inflating in memory', async () => {
    const zeros = Buffer.alloc(256 * 1024 * 1024);
    const bombs = {
      gzip: new Uint8Array(gzipSync(zeros)), // ~250 KiB compressed
      br: new Uint8Array(brotliCompressSync(zeros)), // a few bytes
    };
    for (const [encoding, bomb] of Object.entries(bombs)) {
      assert.ok(bomb.length < 1024 * 1024);
      const before = process.memoryUsage().arrayBuffers;
      await assert.rejects(
        readBody(request(bomb, { 'content-encoding': encoding }), 32 * 1024 * 1024),
        (e: unknown) => e instanceof HttpError && e.status === 413 && /decompressed/.test(e.message),
      );
      assert.ok(process.memoryUsage().arrayBuffers - before < 128 * 1024 * 1024, encoding);
    }
  });

  test('invalid gzip or brotli is a 400 naming it, and unknown encodings a 415', async () => {
    await assert.rejects(
      readBody(request('not gzip', { 'content-encoding': 'gzip' }), 100),
      (e: unknown) => e instanceof ValidationError && e.path === 'body' && /gzip/.test(e.message),
    );
    await assert.rejects(
      readBody(request('not brotli', { 'content-encoding': 'br' }), 100),
      (e: unknown) => e instanceof ValidationError && e.path === 'body' && /brotli/.test(e.message),
    );
    await assert.rejects(
      readBody(request('x', { 'content-encoding': 'zstd' }), 100),
      (e: unknown) => e instanceof HttpError && e.status === 415 && /br, gzip or none/.test(e.message),
    );
    await assert.rejects(
      readBody(request('x', { 'content-encoding': 'toString' }), 100),
      (e: unknown) => e instanceof HttpError && e.status === 415,
    );
  });
});

describe('readJsonObject', () => {
  test('parses an object', async () => {
    assert.deepEqual(await readJsonObject(request('{"a":[1]}'), 100), { a: [1] });
  });

  test('malformed, empty and non-object bodies are 400s naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['{"a":', /malformed JSON/],
      ['', /empty/],
      ['[1,2]', /expected a JSON object, got an array/],
      ['"str"', /expected a JSON object, got string/],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        readJsonObject(request(body), 100),
        (e: unknown) => e instanceof ValidationError && e.path === 'body' && message.test(e.message),
      );
    }
  });
});
