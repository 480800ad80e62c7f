import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { HttpPoster } from './http-post.js';

/** A real server on loopback; each path answers in its own way. */
let server: http.Server;
let base: string;
const received: { path: string; body: string; headers: http.IncomingHttpHeaders }[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, headers: req.headers });
      if (req.url === '/ok') res.end('{"ok":true}');
      else if (req.url === '/busy') {
        res.writeHead(429, { 'retry-after': '3' });
        res.end('x'.repeat(2000));
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        res.socket?.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('posts the body with its headers and a content-length; a 2xx resolves with its status', async () => {
  const poster = new HttpPoster(base);
  const body = Buffer.from('{"batch":[]}');
  const reply = await poster.post('/ok', body, { 'content-type': 'application/json' }, 5000);
  assert.deepEqual(reply, { status: 200, text: '', retryAfter: undefined });
  const got = received.at(-1)!;
  assert.equal(got.body, '{"batch":[]}');
  assert.equal(got.headers['content-type'], 'application/json');
  assert.equal(got.headers['content-length'], String(body.length));
  // The connection is kept for the next request.
  const again = await poster.post('/ok', body, {}, 5000);
  assert.equal(again.status, 200);
});

test('an error answer resolves with its status, Retry-After and the first 500 characters of its body', async () => {
  const reply = await new HttpPoster(base).post('/busy', Buffer.from('{}'), {}, 5000);
  assert.equal(reply.status, 429);
  assert.equal(reply.retryAfter, '3');
  assert.equal(reply.text, 'x'.repeat(500));
});

test('no answer within the timeout rejects with a TimeoutError', async () => {
  const t0 = Date.now();
  await assert.rejects(new HttpPoster(base).post('/hang', Buffer.from('{}'), {}, 300), {
    name: 'TimeoutError',
  });
  assert.ok(Date.now() - t0 < 5000);
});

test('a connection closed in the middle of the answer rejects', async () => {
  await assert.rejects(new HttpPoster(base).post('/cut', Buffer.from('{}'), {}, 5000));
});

test('a refused connection rejects', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(new HttpPoster(`http://127.0.0.1:${port}`).post('/ok', Buffer.from('{}'), {}, 5000), {
    code: 'ECONNREFUSED',
  });
});
