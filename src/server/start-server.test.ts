import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { StoreError } from '../shared/errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { ServerStartError } from './server-start-error.js';
import { startServer } from './start-server.js';
import { completeCall } from './test-app.test-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-start-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `db-${++n}.db`);

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('startServer', () => {
  test('serves over real HTTP on a random port and streams NDJSON', async () => {
    const server = await startServer({ port: 0, db: dbPath() });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.port, 0);
      assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: 'ok' });
      const batch = Array.from({ length: 3000 }, () => completeCall({ inputs: { pad: 'x'.repeat(200) } }));
      assert.equal((await postJson(`${server.url}/v2/acme/chatbot/calls/complete`, { batch })).status, 200);
      const res = await postJson(`${server.url}/calls/stream_query`, { project_id: 'acme/chatbot' });
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      assert.equal((await res.text()).trimEnd().split('\n').length, 3000);
    } finally {
      await server.close();
    }
    await assert.rejects(
      server.store.hasApiKeys(),
      (e: unknown) => e instanceof StoreError && e.code === 'STORE_CLOSED',
    );
  });

  test('close() lets an in-flight request finish, then closes the store', async () => {
    const db = dbPath();
    const server = await startServer({ port: 0, db });
    const body = JSON.stringify({ batch: [completeCall({ id: 'in-flight' })] });
    const req = request(`${server.url}/v2/acme/chatbot/calls/complete`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    // The server has parsed the request once it answers 100 Continue: the request is now in flight.
    await new Promise<void>((resolve) => req.once('continue', resolve));
    const closed = server.close();
    req.end(body);
    assert.equal(await response, 200);
    await closed;
    const store = SqliteStore.open(db);
    try {
      assert.equal((await store.readCall('acme/chatbot', 'in-flight'))?.status, 'success');
    } finally {
      await store.close();
    }
    await assert.rejects(fetch(`${server.url}/health`), 'no longer accepting connections');
  });

  test('a taken port is a PORT_IN_USE error, and the store is closed again', async () => {
    const first = await startServer({ port: 0, db: dbPath() });
    const store = SqliteStore.open(dbPath());
    try {
      await assert.rejects(
        startServer({ port: first.port, store }),
        (e: unknown) =>
          e instanceof ServerStartError && e.code === 'PORT_IN_USE' && e.message.includes(String(first.port)),
      );
      await assert.rejects(store.hasApiKeys(), /closed/);
    } finally {
      await first.close();
    }
  });

  test('a non-loopback host needs API keys or insecure', async () => {
    const db = dbPath();
    await assert.rejects(
      startServer({ host: '0.0.0.0', port: 0, db }),
      (e: unknown) =>
        e instanceof ServerStartError && e.code === 'INSECURE_BIND' && /--insecure/.test(e.message),
    );
    const insecure = await startServer({ host: '0.0.0.0', port: 0, db, insecure: true });
    try {
      assert.equal(
        (await postJson(`http://127.0.0.1:${insecure.port}/calls/query_stats`, { project_id: 'a/b' })).status,
        200,
      );
    } finally {
      await insecure.close();
    }
    const store = SqliteStore.open(db);
    const key = generateApiKey();
    await store.createApiKey('a/b', hashApiKey(key));
    const secured = await startServer({ host: '0.0.0.0', port: 0, store });
    try {
      const url = `http://127.0.0.1:${secured.port}/calls/query_stats`;
      assert.equal((await postJson(url, { project_id: 'a/b' })).status, 401);
      assert.equal(
        (await postJson(url, { project_id: 'a/b' }, { authorization: `Bearer ${key}` })).status,
        200,
      );
    } finally {
      await secured.close();
    }
  });

  test('bad options and unopenable stores are named errors', async () => {
    await assert.rejects(startServer({ port: 70000 }), /Invalid option port=70000/);
    await assert.rejects(startServer({ host: '' }), /Invalid option host=""/);
    await assert.rejects(
      startServer({ port: 0, db: join(thisFile(), 'x.db') }),
      (e: unknown) => e instanceof ServerStartError && e.code === 'STORE_OPEN_FAILED',
    );
  });
});

/** A path that is a regular file, so nothing can be created below it. */
function thisFile(): string {
  return new URL(import.meta.url).pathname;
}
