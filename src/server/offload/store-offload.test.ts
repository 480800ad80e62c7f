import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import {
  CLICKHOUSE_SKIP,
  CLICKHOUSE_URL,
  TestDatabases,
} from '../../store/clickhouse/test-databases.test-helper.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { generateApiKey, hashApiKey } from '../api-key.js';
import { HttpError } from '../http-error.js';
import { startServer } from '../start-server.js';
import { StoreOffload } from './store-offload.js';
import type { RunningServer } from '../start-server.js';
import { completeCall, startedCall } from '../test-app.test-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-offload-'));
const databases = new TestDatabases();
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (CLICKHOUSE_URL) await databases.dropAll();
});
let n = 0;
const dbPath = () => join(dir, `db-${++n}.db`);

/** Bodies of 4 KiB and more go to the write worker in these servers. */
const OFFLOAD = 4096;
const pad = 'é'.repeat(4000); // two UTF-8 bytes each: the worker must decode the body as UTF-8

function post(server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function stats(server: RunningServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/server_stats`, { headers });
  return (await res.json()) as { offloaded_writes: number; offloaded_pages: number; offloaded_reads: number };
}

async function offloaded(server: RunningServer, headers: Record<string, string> = {}): Promise<number> {
  return (await stats(server, headers)).offloaded_writes;
}

describe('large call writes in the write worker', () => {
  test('a large batch is written by the worker, read back whole, and small ones stay in place', async () => {
    const server = await startServer({ port: 0, db: dbPath(), offloadBodyBytes: OFFLOAD });
    try {
      const big = completeCall({ inputs: { pad } });
      const res = await post(server, '/v2/acme/chatbot/calls/complete', { batch: [big] });
      assert.equal(res.status, 200, await res.clone().text());
      assert.deepEqual(await res.json(), {});
      assert.equal(await offloaded(server), 1);
      const small = completeCall();
      assert.equal((await post(server, '/v2/acme/chatbot/calls/complete', { batch: [small] })).status, 200);
      assert.equal(await offloaded(server), 1);
      const read = await post(server, '/call/read', { project_id: 'acme/chatbot', id: big.id });
      const { call } = (await read.json()) as { call: { inputs: unknown; op_name: string } };
      assert.deepEqual(call.inputs, { pad });
      assert.equal(call.op_name, big.op_name);
      const none = await post(server, '/call/read', { project_id: 'acme/chatbot', id: 'no-such-call' });
      assert.deepEqual(await none.json(), { call: null });
      assert.equal((await stats(server)).offloaded_reads, 2, '/call/read runs in the worker');
    } finally {
      await server.close();
    }
  });

  test('gzip bodies, v1 start and upsert answers come back from the worker as in place', async () => {
    const server = await startServer({ port: 0, db: dbPath(), offloadBodyBytes: OFFLOAD });
    try {
      const start = { ...startedCall({ inputs: { pad } }), project_id: 'acme/chatbot' };
      const zipped = await fetch(`${server.url}/call/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ start })),
      });
      assert.equal(zipped.status, 200);
      assert.deepEqual(await zipped.json(), { id: start.id, trace_id: start.trace_id });
      const other = { ...startedCall({ inputs: { pad } }), project_id: 'acme/chatbot' };
      const upsert = await post(server, '/call/upsert_batch', {
        batch: [{ mode: 'start', req: { start: other } }],
      });
      assert.deepEqual(await upsert.json(), { res: [{ id: other.id, trace_id: other.trace_id }] });
      assert.equal(await offloaded(server), 2);
    } finally {
      await server.close();
    }
  });

  test('a bad field deep in a large batch is a 400 naming it, and nothing of the batch is written', async () => {
    const server = await startServer({ port: 0, db: dbPath(), offloadBodyBytes: OFFLOAD });
    try {
      const good = completeCall({ inputs: { pad } });
      const bad = { ...completeCall(), started_at: '2026-02-30T00:00:00Z' };
      const res = await post(server, '/v2/acme/chatbot/calls/complete', { batch: [good, bad] });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { field: string; error: string };
      assert.equal(body.field, 'batch[1].started_at');
      const malformed = await fetch(`${server.url}/v2/acme/chatbot/calls/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"batch": [${JSON.stringify(good)}`,
      });
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { field: string }).field, 'body');
      assert.equal(await offloaded(server), 2);
      const read = await post(server, '/call/read', { project_id: 'acme/chatbot', id: good.id });
      assert.deepEqual(await read.json(), { call: null });
    } finally {
      await server.close();
    }
  });

  test("the worker authorises each item's project like the event loop does (403, nothing written)", async () => {
    const db = dbPath();
    const key = generateApiKey();
    const store = SqliteStore.open(db);
    await store.createApiKey('acme/chatbot', hashApiKey(key));
    await store.close();
    const server = await startServer({ port: 0, db, offloadBodyBytes: OFFLOAD });
    const auth = { authorization: `Bearer ${key}` };
    try {
      const mine = { ...startedCall({ inputs: { pad } }), project_id: 'acme/chatbot' };
      const theirs = { ...startedCall(), project_id: 'acme/other' };
      const res = await post(
        server,
        '/call/upsert_batch',
        {
          batch: [
            { mode: 'start', req: { start: mine } },
            { mode: 'start', req: { start: theirs } },
          ],
        },
        auth,
      );
      assert.equal(res.status, 403);
      assert.equal(await offloaded(server, auth), 1);
      const read = await post(server, '/call/read', { project_id: 'acme/chatbot', id: mine.id }, auth);
      assert.deepEqual(await read.json(), { call: null });
    } finally {
      await server.close();
    }
  });

  test('calls pages are read in the worker: capped values, same order, cursor to the next page', async () => {
    const server = await startServer({ port: 0, db: dbPath(), offloadBodyBytes: OFFLOAD });
    try {
      const calls = Array.from({ length: 5 }, (_, i) =>
        completeCall({
          started_at: `2026-12-07T00:00:0${i}Z`,
          inputs: i === 2 ? { pad: 'x'.repeat(200_000) } : { i },
        }),
      );
      assert.equal((await post(server, '/v2/acme/chatbot/calls/complete', { batch: calls })).status, 200);
      const query = {
        project_id: 'acme/chatbot',
        limit: 3,
        sort_by: [{ field: 'started_at', direction: 'asc' }],
      };
      const first = (await (await post(server, '/calls/query', query)).json()) as {
        calls: { id: string; inputs: Record<string, unknown> }[];
        next_cursor: string | null;
      };
      assert.deepEqual(
        first.calls.map((c) => c.id),
        calls.slice(0, 3).map((c) => c.id),
      );
      assert.deepEqual(first.calls[0]?.inputs, { i: 0 });
      assert.equal(first.calls[2]?.inputs._weft_truncated, true);
      assert.ok(first.next_cursor);
      const second = (await (
        await post(server, '/calls/query', { ...query, cursor: first.next_cursor })
      ).json()) as { calls: { id: string }[]; next_cursor: string | null };
      assert.deepEqual(
        second.calls.map((c) => c.id),
        calls.slice(3).map((c) => c.id),
      );
      assert.equal(second.next_cursor, null);
      assert.equal((await stats(server)).offloaded_pages, 2);
    } finally {
      await server.close();
    }
  });

  test(
    'on ClickHouse: large writes go to the worker, pages are read in place',
    { skip: CLICKHOUSE_SKIP },
    async () => {
      const server = await startServer({
        port: 0,
        storeKind: 'clickhouse',
        clickhouse: { url: CLICKHOUSE_URL, database: databases.fresh() },
        offloadBodyBytes: OFFLOAD,
      });
      try {
        const big = completeCall({ inputs: { pad } });
        assert.equal((await post(server, '/v2/acme/chatbot/calls/complete', { batch: [big] })).status, 200);
        const read = await post(server, '/call/read', { project_id: 'acme/chatbot', id: big.id });
        assert.deepEqual(((await read.json()) as { call: { inputs: unknown } }).call.inputs, { pad });
        const page = await post(server, '/calls/query', { project_id: 'acme/chatbot', limit: 5 });
        assert.equal(((await page.json()) as { calls: unknown[] }).calls.length, 1);
        const { offloaded_writes, offloaded_pages } = await stats(server);
        assert.deepEqual({ offloaded_writes, offloaded_pages }, { offloaded_writes: 1, offloaded_pages: 0 });
      } finally {
        await server.close();
      }
    },
  );

  test('bodies queued for the worker are bounded: past the bound a write is a 429 with Retry-After', async () => {
    const db = dbPath();
    await SqliteStore.open(db).close(); // the worker opens an existing, migrated file
    const offload = new StoreOffload({ db }, 1, 10_000);
    const job = {
      kind: 'complete' as const,
      pathProject: 'acme/chatbot',
      principal: { kind: 'anonymous' as const },
    };
    const body = () =>
      Buffer.from(JSON.stringify({ batch: [completeCall({ inputs: { pad: 'y'.repeat(7000) } })] }));
    try {
      const first = offload.write(job, body());
      await assert.rejects(offload.write(job, body()), (err: unknown) => {
        assert.ok(err instanceof HttpError);
        assert.equal(err.status, 429);
        assert.equal(err.retryAfterSeconds, 1);
        return true;
      });
      assert.deepEqual(await first, {});
      assert.deepEqual(await offload.write(job, body()), {}, 'taken again once the queue drained');
      assert.equal(offload.offloadedWrites, 2);
    } finally {
      await offload.close();
    }
  });

  test('offloadBodyBytes is validated with its name', async () => {
    await assert.rejects(startServer({ port: 0, db: dbPath(), offloadBodyBytes: -1 }), /offloadBodyBytes/);
  });
});
