import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { InvalidOptionError } from '../shared/errors.js';
import { createApp } from './app.js';
import { createTestApp, startedCall } from './test-app.test-helper.js';

const t = createTestApp({ version: '9.9.9' });
after(() => t.close());

test('/server_info and /health answer what Weave clients ask', async () => {
  assert.deepEqual(await (await t.get('/server_info')).json(), {
    min_required_weave_python_version: '0.0.0',
    version: '9.9.9',
    store: 'sqlite',
  });
  assert.deepEqual(await (await t.get('/health')).json(), { status: 'ok' });
});

test('/api/projects lists projects with their call counts', async () => {
  await t.post('/call/start', { start: startedCall({ project_id: 'acme/listed' }) });
  const { projects } = (await (await t.get('/api/projects')).json()) as {
    projects: { project_id: string; call_count: number; last_activity: string | null }[];
  };
  const listed = projects.find((p) => p.project_id === 'acme/listed');
  assert.equal(listed?.call_count, 1);
  assert.ok(listed?.last_activity);
});

test('unknown routes are 404 JSON; a wrong method is 405 JSON with Allow', async () => {
  const missing = await t.post('/calls/nope', {});
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /no route for POST \/calls\/nope/);
  const wrong = await t.get('/call/start');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST');
  assert.match(wrong.headers.get('content-type') ?? '', /application\/json/);
  const v2 = await t.get('/v2/acme/chatbot/calls/complete');
  assert.equal(v2.status, 405);
  const postInfo = await t.post('/server_info', {});
  assert.equal(postInfo.status, 405);
});

test('non-object bodies and unsupported encodings are JSON errors', async () => {
  const arr = await t.post('/call/start', '[]');
  assert.deepEqual(await arr.json(), { error: 'body: expected a JSON object, got an array', field: 'body' });
  const zstd = await t.post('/call/start', '{}', { 'content-encoding': 'zstd' });
  assert.equal(zstd.status, 415);
  assert.match(
    ((await zstd.json()) as { error: string }).error,
    /Content-Encoding "zstd": use br, gzip or none/,
  );
  const br = await t.post('/call/start', '{}', { 'content-encoding': 'br' });
  assert.equal(br.status, 400, 'a body that is not brotli is bad input');
  assert.deepEqual(((await br.json()) as { field: string }).field, 'body');
});

test('a small maxBodyBytes is enforced on every JSON route', async () => {
  const small = createTestApp({ maxBodyBytes: 1024 });
  try {
    const res = await small.post('/calls/query_stats', { project_id: 'acme/chatbot', pad: 'x'.repeat(2000) });
    assert.equal(res.status, 413);
    assert.equal((await small.post('/calls/query_stats', { project_id: 'acme/chatbot' })).status, 200);
  } finally {
    await small.close();
  }
});

test('a closed store answers 503 (shutting down), not a logged 500', async () => {
  const logged: string[] = [];
  const broken = createTestApp({ log: (m) => logged.push(m) });
  await broken.store.close(); // every store call now fails
  try {
    const res = await broken.post('/calls/query_stats', { project_id: 'acme/chatbot' });
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { error: 'the server is shutting down' });
  } finally {
    await broken.close();
  }
  assert.equal(logged.length, 0);
});

test('options are validated, naming the option and value', () => {
  assert.throws(
    () => createApp({ store: t.store, maxBodyBytes: -1 }),
    (e: unknown) => e instanceof InvalidOptionError && e.option === 'maxBodyBytes' && /-1/.test(e.message),
  );
  assert.throws(
    () => createApp({ store: t.store, auth: { anonymous: 'everyone' as 'anyone' } }),
    (e: unknown) => e instanceof InvalidOptionError && e.option === 'auth.anonymous',
  );
});
