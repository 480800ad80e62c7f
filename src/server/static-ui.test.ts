import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { InvalidOptionError } from '../shared/errors.js';
import { createTestApp } from './test-app.test-helper.js';
import type { AppEnv } from './app-env.js';
import { staticUi } from './static-ui.js';
import type { StaticUiOptions } from './static-ui.js';

const base = mkdtempSync(join(tmpdir(), 'weft-static-ui-'));
const dir = join(base, 'ui');
mkdirSync(join(dir, 'assets'), { recursive: true });
const INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(5000))});`;
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const CSS = 'body{margin:0}';
writeFileSync(join(dir, 'index.html'), INDEX);
writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
writeFileSync(join(dir, 'assets', 'index-abc123.css'), CSS);
writeFileSync(join(dir, 'favicon.svg'), SVG);
writeFileSync(join(base, 'secret.txt'), 'not for the web');

const t = createTestApp({ ui: { dir } });

/** The UI middleware alone on an app, to look at its cache. */
function uiOnly(options: StaticUiOptions = {}) {
  const ui = staticUi({ dir, ...options });
  const app = new Hono<AppEnv>().use('*', ui);
  return { ui, get: (path: string) => app.request(path, { headers: { 'accept-encoding': 'gzip' } }) };
}

/** `text` with the characters at the positions of `bits`' set bits percent-encoded. */
function encodeSome(text: string, bits: number): string {
  return [...text]
    .map((ch, i) => ((bits >> i) & 1 ? `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch))
    .join('');
}
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

  test('memory exhaustion before auth: thousands of spellings of one asset cache it once', async () => {
    const { ui, get } = uiOnly();
    const spellings = new Set<string>();
    for (let i = 0; spellings.size < 3000; i++) {
      spellings.add(`/x${i}%2f..%2fassets%2findex-abc123.js`);
      spellings.add(`/assets${'/'.repeat(2 + (i % 50))}index-abc123.js`);
      spellings.add(`/./assets/${encodeSome('index-abc123.js', i)}`);
      spellings.add(`/${encodeSome('assets', i % 64)}%2F${'.%2f'.repeat(1 + (i % 20))}index-abc123.js`);
    }
    for (const path of spellings) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8'), SCRIPT, path);
    }
    assert.equal((await get('/projects/acme/chatbot/calls')).status, 200);
    const stats = ui.cacheStats();
    assert.equal(stats.entries, 2, 'one entry per distinct file: the script and index.html');
    assert.ok(stats.bytes < SCRIPT.length + INDEX.length + 1000, `${stats.bytes} bytes cached`);
  });

  test('the file cache is bounded in files and bytes; a file over the byte bound is still served', async () => {
    const files = uiOnly({ cacheMaxFiles: 2 });
    for (const path of ['/', '/assets/index-abc123.js', '/assets/index-abc123.css', '/favicon.svg']) {
      assert.equal((await files.get(path)).status, 200, path);
    }
    assert.equal(files.ui.cacheStats().entries, 2);

    const bytes = uiOnly({ cacheMaxBytes: 1000 });
    const big = await bytes.get('/assets/index-abc123.js');
    assert.equal(big.status, 200);
    assert.equal(big.headers.get('content-encoding'), null, 'too big to cache: sent as it is');
    assert.equal(await big.text(), SCRIPT);
    assert.equal((await bytes.get('/assets/index-abc123.css')).status, 200);
    assert.equal((await bytes.get('/favicon.svg')).status, 200);
    assert.deepEqual(bytes.ui.cacheStats(), { entries: 2, bytes: CSS.length + SVG.length });
  });

  test('odd spellings that stay inside the UI folder are served; escaping ones are 404', async () => {
    for (const path of ['/assets//index-abc123.js', '/x%2f..%2fassets%2findex-abc123.js', '/./favicon.svg']) {
      assert.equal((await t.get(path)).status, 200, path);
    }
    const hashed = await t.get('/x%2f..%2fassets%2findex-abc123.js');
    assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const path of [
      '/assets%2f..%2f..%2fsecret.txt',
      '/x%2f..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2f' + 'ui%2f..%2f'.repeat(3) + 'secret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
    ]) {
      const res = await t.get(path);
      assert.equal(res.status, 404, path);
    }
  });

  test('an empty dir is an InvalidOptionError naming the option', () => {
    assert.throws(
      () => staticUi({ dir: '' }),
      (err: unknown) => err instanceof InvalidOptionError && err.option === 'ui.dir',
    );
  });
});
