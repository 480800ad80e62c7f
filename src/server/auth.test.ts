import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthError } from '../shared/errors.js';
import { generateApiKey, hashApiKey, keyHashesEqual } from './api-key.js';
import { readCredentials } from './auth.js';
import { isLoopbackHost } from './loopback.js';
import { completeCall, createTestApp, startedCall } from './test-app.test-helper.js';

describe('API keys', () => {
  test('keys are random, prefixed, and compared by hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    assert.match(a, /^weft_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.match(hashApiKey(a), /^[0-9a-f]{64}$/);
    assert.equal(keyHashesEqual(hashApiKey(a), hashApiKey(a)), true);
    assert.equal(keyHashesEqual(hashApiKey(a), hashApiKey(b)), false);
    assert.equal(keyHashesEqual(hashApiKey(a), 'abc'), false);
  });

  test('credentials come from Bearer or Basic api:<key>', () => {
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    assert.equal(readCredentials(null), undefined);
    assert.equal(readCredentials('Bearer k1'), 'k1');
    assert.equal(readCredentials('bearer k1'), 'k1');
    assert.equal(readCredentials(basic('api:k2')), 'k2');
    assert.equal(readCredentials(basic('api:with:colon')), 'with:colon');
    for (const header of [basic('alice:k'), basic('api:'), basic('nocolon'), 'Token k', 'Bearer']) {
      assert.throws(
        () => readCredentials(header),
        (e: unknown) => e instanceof AuthError && e.status === 401,
        header,
      );
    }
  });

  test('loopback hosts', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'app.localhost',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(isLoopbackHost(h), true, h);
    }
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', 'localhost.example.com', '128.0.0.1']) {
      assert.equal(isLoopbackHost(h), false, h);
    }
  });
});

describe('a server without keys', () => {
  const t = createTestApp();
  after(() => t.close());

  test('accepts keyless requests on a loopback host, ignoring any credentials sent', async () => {
    assert.equal((await t.post('/call/start', { start: startedCall() })).status, 200);
    const res = await t.post(
      '/calls/query_stats',
      { project_id: 'acme/chatbot' },
      { authorization: 'Bearer whatever' },
    );
    assert.equal(res.status, 200);
  });

  test('refuses requests addressed to another host name (DNS rebinding) and cross-origin browser requests', async () => {
    const rebound = await t.app.request('http://evil.example/calls/query_stats', {
      method: 'POST',
      body: JSON.stringify({ project_id: 'acme/chatbot' }),
    });
    assert.equal(rebound.status, 403);
    const cross = await t.post(
      '/calls/delete',
      { project_id: 'acme/chatbot', call_ids: ['x'] },
      { origin: 'https://evil.example' },
    );
    assert.equal(cross.status, 403);
    assert.match(((await cross.json()) as { error: string }).error, /cross-origin/);
    const same = await t.post(
      '/calls/query_stats',
      { project_id: 'acme/chatbot' },
      { origin: 'http://localhost' },
    );
    assert.equal(same.status, 200);
  });

  test('creating a key while the server runs locks it at once', async () => {
    const fresh = createTestApp();
    try {
      assert.equal((await fresh.post('/calls/query_stats', { project_id: 'acme/chatbot' })).status, 200);
      const key = await fresh.keyFor('acme/chatbot');
      assert.equal((await fresh.post('/calls/query_stats', { project_id: 'acme/chatbot' })).status, 401);
      assert.equal((await fresh.post('/calls/query_stats', { project_id: 'acme/chatbot' }, key)).status, 200);
    } finally {
      await fresh.close();
    }
  });

  test("'nobody' refuses keyless requests (non-loopback bind)", async () => {
    const strict = createTestApp({ auth: { anonymous: 'nobody' } });
    try {
      const res = await strict.post('/calls/query_stats', { project_id: 'acme/chatbot' });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="weft"');
      assert.equal((await strict.get('/health')).status, 200, '/health stays public');
    } finally {
      await strict.close();
    }
  });
});

describe('a server with keys', () => {
  const t = createTestApp();
  let mine: { authorization: string };
  let theirs: { authorization: string };
  after(() => t.close());
  before(async () => {
    mine = await t.keyFor('acme/chatbot');
    theirs = await t.keyFor('other/project');
    await t.post('/v2/acme/chatbot/calls/complete', { batch: [completeCall({ id: 'mine' })] }, mine);
  });

  const status = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    (await t.post(path, body, headers)).status;

  test('no key or an unknown key is 401; /health and /server_info stay public', async () => {
    assert.equal(await status('/calls/query_stats', { project_id: 'acme/chatbot' }), 401);
    assert.equal(
      await status(
        '/calls/query_stats',
        { project_id: 'acme/chatbot' },
        { authorization: `Bearer ${generateApiKey()}` },
      ),
      401,
    );
    assert.equal((await t.get('/health')).status, 200);
    assert.equal((await t.get('/server_info')).status, 200);
    assert.equal((await t.get('/api/projects')).status, 401);
  });

  test('the right key works as Bearer and as Basic api:<key> (Weave clients)', async () => {
    const key = mine.authorization.slice('Bearer '.length);
    const basic = { authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}` };
    for (const headers of [mine, basic]) {
      const res = await t.post('/call/read', { project_id: 'acme/chatbot', id: 'mine' }, headers);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { call: { id: string } }).call.id, 'mine');
    }
  });

  test('a key cannot read another project', async () => {
    for (const [path, body] of [
      ['/call/read', { project_id: 'acme/chatbot', id: 'mine' }],
      ['/calls/stream_query', { project_id: 'acme/chatbot' }],
      ['/calls/query', { project_id: 'acme/chatbot' }],
      ['/calls/query_stats', { project_id: 'acme/chatbot' }],
      ['/feedback/query', { project_id: 'acme/chatbot' }],
      ['/objs/query', { project_id: 'acme/chatbot' }],
      ['/file/content', { project_id: 'acme/chatbot', digest: 'x' }],
    ] as const) {
      const res = await t.post(path, body, theirs);
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /scoped to project other\/project/);
    }
  });

  test('a key cannot write another project: path, body, or any batch item', async () => {
    const before = await t.store.countCalls({ project_id: 'acme/chatbot' });
    const cases: [string, unknown][] = [
      ['/v2/acme/chatbot/calls/complete', { batch: [completeCall()] }],
      ['/v2/acme/chatbot/call/start', { start: startedCall() }],
      ['/call/start', { start: startedCall() }],
      [
        '/call/upsert_batch',
        {
          batch: [
            { mode: 'start', req: { start: startedCall({ project_id: 'other/project' }) } },
            { mode: 'start', req: { start: startedCall() } },
          ],
        },
      ],
      ['/calls/delete', { project_id: 'acme/chatbot', call_ids: ['mine'] }],
      ['/call/update', { project_id: 'acme/chatbot', call_id: 'mine', display_name: 'x' }],
      [
        '/feedback/create',
        {
          project_id: 'acme/chatbot',
          weave_ref: 'weave:///acme/chatbot/call/mine',
          feedback_type: 'n',
          payload: {},
        },
      ],
      ['/obj/create', { obj: { project_id: 'acme/chatbot', object_id: 'o', val: 1 } }],
      ['/table/create', { table: { project_id: 'acme/chatbot', rows: [] } }],
    ];
    for (const [path, body] of cases) assert.equal(await status(path, body, theirs), 403, path);
    const upsert = await t.post('/call/upsert_batch', cases[3]?.[1], theirs);
    assert.match(((await upsert.json()) as { error: string }).error, /batch\[1\]\.req\.start\.project_id/);
    assert.equal(await t.store.countCalls({ project_id: 'acme/chatbot' }), before, 'nothing was written');
    assert.equal(await t.store.countCalls({ project_id: 'other/project' }), 0, 'not even the allowed item');
  });

  test('/api/projects lists only the key’s project', async () => {
    await t.post('/call/start', { start: startedCall({ project_id: 'other/project' }) }, theirs);
    const res = await t.get('/api/projects', mine);
    const { projects } = (await res.json()) as { projects: { project_id: string }[] };
    assert.deepEqual(
      projects.map((p) => p.project_id),
      ['acme/chatbot'],
    );
  });
});
