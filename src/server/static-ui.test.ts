import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { InvalidOptionError } from '../shared/errors.js';
import { createTestApp } from './test-app.test-helper.js';
import { staticUi } from './static-ui.js';

const base = mkdtempSync(join(tmpdir(), 'weft-static-ui-'));
const dir = join(base, 'ui');
mkdirSync(join(dir, 'assets'), { recursive: true });
const INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))});`;
writeFileSync(join(dir, 'index.html'), INDEX);
writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{margin:0}');
writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(base, 'secret.txt'), 'not for the web');

const t = createTestApp({ ui: { dir } });
after(async () => {
  await t.close();
  rmSync(base, { recursive: true, force: true });
});

describe('static UI', () => {
  test('serves index.html at / with no-cache and a same-origin content security policy', async () => {
    const res = await t.get('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(await res.text(), INDEX);
  });

  test('answers client routes with index.html (SPA fallback)', async () => {
    for (const path of ['/projects', '/projects/acme/chatbot/calls', '/projects/acme/chatbot/traces/t-1']) {
      const res = await t.get(`${path}?op=chat`);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), INDEX, path);
    }
  });

  test('hashed assets: right content type, cached for a year, gzip when accepted', async () => {
    const plain = await t.get('/assets/index-abc123.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), SCRIPT);

    const gz = await t.get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    const bytes = Buffer.from(await gz.arrayBuffer());
    assert.ok(bytes.length < SCRIPT.length / 10, 'compressed');
    assert.equal(gunzipSync(bytes).toString('utf8'), SCRIPT);

    const css = await t.get('/assets/index-abc123.css', { 'accept-encoding': 'gzip' });
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.headers.get('content-encoding'), null, 'small files are sent as they are');
    const svg = await t.get('/favicon.svg');
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(svg.headers.get('cache-control'), 'no-cache');
  });

  test('HEAD answers headers only', async () => {
    const res = await t.app.request('/assets/index-abc123.js', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(SCRIPT.length));
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  test('missing files, folders and paths outside the UI folder fall through to the JSON 404', async () => {
    for (const path of [
      '/assets/missing.js',
      '/assets/',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
    ]) {
      const res = await t.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path);
    }
  });

  test('API routes are untouched: 405 for a wrong method, JSON answers, POST never served a file', async () => {
    assert.equal((await t.get('/call/start')).status, 405);
    assert.deepEqual(await (await t.get('/health')).json(), { status: 'ok' });
    assert.equal((await t.post('/', {})).status, 404);
  });

  test('the UI is public when API keys exist; the data behind it is not', async () => {
    const keyed = createTestApp({ ui: { dir } });
    try {
      await keyed.keyFor('acme/chatbot');
      assert.equal((await keyed.get('/')).status, 200);
      assert.equal((await keyed.get('/assets/index-abc123.js')).status, 200);
      assert.equal((await keyed.get('/api/projects')).status, 401);
    } finally {
      await keyed.close();
    }
  });

  test('without a build, client routes say how to build; ui: false serves nothing', async () => {
    const unbuilt = createTestApp({ ui: { dir: join(base, 'nothing-here') } });
    const none = createTestApp({ ui: false });
    try {
      const res = await unbuilt.get('/projects/acme/chatbot/calls');
      assert.equal(res.status, 503);
      assert.match(await res.text(), /npm run build/);
      assert.equal((await unbuilt.get('/health')).status, 200);
      assert.equal((await none.get('/')).status, 404);
    } finally {
      await unbuilt.close();
      await none.close();
    }
  });

  test('an empty dir is an InvalidOptionError naming the option', () => {
    assert.throws(
      () => staticUi({ dir: '' }),
      (err: unknown) => err instanceof InvalidOptionError && err.option === 'ui.dir',
    );
  });
});
