import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { decodeBody } from '../../test/helpers/decode-body.js';
import { HttpTransport, type TransportOptions } from './http-transport.js';

interface Seen {
  encoding: string;
  text: string;
}

/** A loopback server that records each request's encoding and decoded body; `refuse` answers 415. */
async function server(
  refuse: (encoding: string) => boolean,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const encoding = req.headers['content-encoding'] ?? 'identity';
      if (refuse(encoding)) {
        res.writeHead(415, { 'content-type': 'application/json' }).end('{"error":"unsupported encoding"}');
        return;
      }
      seen.push({
        encoding,
        text: decodeBody(req.headers['content-encoding'], Buffer.concat(chunks)).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

const options = (serverUrl: string): TransportOptions => ({
  serverUrl,
  apiKey: undefined,
  gzipThresholdBytes: 100,
  requestTimeoutMs: 5000,
  retryDeadlineMs: 2000,
  retryBaseMs: 10,
  retryMaxMs: 50,
});

const big = JSON.stringify({ batch: Array.from({ length: 50 }, (_, i) => ({ id: `call-${i}` })) });

test('bodies over the threshold go as brotli, small ones as they are', async () => {
  const s = await server(() => false);
  try {
    const t = new HttpTransport(options(s.url));
    assert.deepEqual(await t.post('/x', big), { ok: true, attempts: 1 });
    assert.deepEqual(await t.post('/x', '{"a":1}'), { ok: true, attempts: 1 });
    assert.deepEqual(
      s.seen.map((r) => r.encoding),
      ['br', 'identity'],
    );
    assert.equal(s.seen[0]!.text, big);
    assert.ok(t.stats.bytesSent < t.stats.bytesRaw, `${t.stats.bytesSent} B sent for ${t.stats.bytesRaw} B`);
  } finally {
    await s.close();
  }
});

test('a server that answers 415 to brotli gets the same body as gzip at once, and gzip from then on', async () => {
  const s = await server((encoding) => encoding === 'br');
  try {
    const t = new HttpTransport(options(s.url));
    const first = await t.post('/x', Buffer.from(big));
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(t.bodyEncoding, 'gzip');
    assert.deepEqual(await t.post('/x', big), { ok: true, attempts: 1 });
    assert.deepEqual(
      s.seen.map((r) => [r.encoding, r.text === big]),
      [
        ['gzip', true],
        ['gzip', true],
      ],
    );
    assert.equal(t.stats.retries, 0, 'a refused encoding is not a retry');
  } finally {
    await s.close();
  }
});

test('a compressed body is read only until compressed: rawRead comes before post returns, and a 415 still resends the body', async () => {
  const s = await server((encoding) => encoding === 'br');
  try {
    const t = new HttpTransport(options(s.url));
    const raw = Buffer.from(big);
    let reads = 0;
    const sent = t.post('/x', raw, undefined, () => {
      reads++;
      raw.fill(0x20); // the caller reuses the buffer at once
    });
    assert.equal(reads, 1, 'a synchronous compression lets go of the raw body before post returns');
    const outcome = await sent;
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(reads, 1, 'told once, the 415 retry included');
    assert.deepEqual(
      s.seen.map((r) => [r.encoding, r.text === big]),
      [['gzip', true]],
    );
  } finally {
    await s.close();
  }
});

test('a 415 to gzip or to a plain body is an answer, not a loop', async () => {
  const s = await server(() => true);
  try {
    const t = new HttpTransport(options(s.url));
    const outcome = await t.post('/x', big);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.status, 415);
    assert.equal(t.stats.requests, 2, 'brotli, then gzip, then the answer');
    const plain = await t.post('/x', '{"a":1}');
    assert.equal(!plain.ok && plain.status, 415);
    assert.equal(t.stats.requests, 3);
  } finally {
    await s.close();
  }
});
