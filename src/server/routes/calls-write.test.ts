import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CallRecord } from '../../shared/call-types.js';
import { completeCall, createTestApp, endedCall, startedCall, uid } from '../test-app.test-helper.js';

const t = createTestApp();
after(() => t.close());

/** A fresh project per test, so counts do not interfere. */
function project(): string {
  return `acme/${uid('p')}`;
}

async function readCall(projectId: string, id: string): Promise<CallRecord | null> {
  const res = await t.post('/call/read', { project_id: projectId, id });
  assert.equal(res.status, 200);
  return ((await res.json()) as { call: CallRecord | null }).call;
}

async function count(projectId: string): Promise<number> {
  const res = await t.post('/calls/query_stats', { project_id: projectId });
  return ((await res.json()) as { count: number }).count;
}

describe('call writes converge whatever the order', () => {
  test('v1 start then end', async () => {
    const p = project();
    const start = startedCall({ project_id: p });
    const res = await t.post('/call/start', { start });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: start.id, trace_id: start.trace_id });
    assert.equal((await readCall(p, start.id))?.status, 'running');
    assert.deepEqual(
      await (await t.post('/call/end', { end: endedCall({ project_id: p, id: start.id }) })).json(),
      {},
    );
    const call = await readCall(p, start.id);
    assert.equal(call?.status, 'success');
    assert.deepEqual(call?.output, { answer: 'hello' });
  });

  test('end before start', async () => {
    const p = project();
    const start = startedCall({ project_id: p });
    await t.post('/call/end', { end: endedCall({ project_id: p, id: start.id, exception: 'boom' }) });
    assert.equal((await readCall(p, start.id))?.status, 'missing_start');
    await t.post('/call/start', { start });
    const call = await readCall(p, start.id);
    assert.equal(call?.status, 'error');
    assert.equal(call?.op_name, 'chat');
    assert.equal(call?.exception, 'boom');
  });

  test('v2: eager start, then the complete record; project_id taken from the path', async () => {
    const p = project();
    const call = completeCall({ project_id: p });
    const { project_id: _p, ...start } = startedCall({ ...call });
    const res = await t.post(`/v2/${p}/call/start`, { start });
    assert.deepEqual(await res.json(), { id: call.id, trace_id: call.trace_id });
    assert.equal((await t.post(`/v2/${p}/calls/complete`, { batch: [call] })).status, 200);
    assert.equal(await count(p), 1);
    assert.equal((await readCall(p, call.id))?.status, 'success');
  });

  test('v2 end with trace_id and started_at', async () => {
    const p = project();
    const end = {
      ...endedCall({ id: uid() }),
      project_id: undefined,
      trace_id: 'tr',
      started_at: '2026-01-31T12:00:00Z',
    };
    assert.equal((await t.post(`/v2/${p}/call/end`, { end })).status, 200);
    const call = await readCall(p, end.id);
    assert.equal(call?.ended_at, '2026-01-31T12:00:01.500000Z');
  });

  test('duplicates and re-sent batches are idempotent', async () => {
    const p = project();
    const calls = Array.from({ length: 10 }, () => completeCall({ project_id: p }));
    for (let i = 0; i < 3; i++)
      assert.equal((await t.post(`/v2/${p}/calls/complete`, { batch: calls })).status, 200);
    const first = calls[0];
    assert.ok(first);
    const dup = { batch: [completeCall({ ...first }), completeCall({ ...first })] };
    assert.equal((await t.post(`/v2/${p}/calls/complete`, dup)).status, 200);
    assert.equal(await count(p), 10);
  });

  test('upsert_batch answers per item and is idempotent when re-sent', async () => {
    const p = project();
    const a = startedCall({ project_id: p });
    const body = {
      batch: [
        { mode: 'end', req: { end: endedCall({ project_id: p, id: a.id }) } },
        { mode: 'start', req: { start: a } },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const res = await t.post('/call/upsert_batch', body);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { res: [{}, { id: a.id, trace_id: a.trace_id }] });
    }
    assert.equal(await count(p), 1);
    assert.equal((await readCall(p, a.id))?.status, 'success');
  });
});

describe('invalid writes', () => {
  test('item 57 of 100 is bad: 400 naming it, nothing written', async () => {
    const p = project();
    const batch: unknown[] = Array.from({ length: 100 }, () => completeCall({ project_id: p }));
    batch[57] = { ...completeCall({ project_id: p }), ended_at: 'soon' };
    const res = await t.post(`/v2/${p}/calls/complete`, { batch });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; field: string };
    assert.equal(body.field, 'batch[57].ended_at');
    assert.match(body.error, /^batch\[57\]\.ended_at: /);
    assert.equal(await count(p), 0);
  });

  test('a missing id or wrong types are 400s naming the field', async () => {
    const p = project();
    const cases: [string, unknown, string][] = [
      ['/call/start', { start: { ...startedCall({ project_id: p }), id: undefined } }, 'start.id'],
      ['/call/end', { end: { ...endedCall({ project_id: p, id: 'x' }), id: '' } }, 'end.id'],
      ['/call/start', { start: { ...startedCall({ project_id: p }), inputs: 'q' } }, 'start.inputs'],
      [
        '/call/start',
        { start: { ...startedCall({ project_id: p }), project_id: undefined } },
        'start.project_id',
      ],
      [
        `/v2/${p}/calls/complete`,
        { batch: [{ ...completeCall(), project_id: 'x/y' }] },
        'batch[0].project_id',
      ],
      [`/v2/${p}/calls/complete`, { calls: [] }, 'batch'],
      ['/call/upsert_batch', { batch: [{ mode: 'start', req: null }] }, 'batch[0].req'],
    ];
    for (const [path, body, field] of cases) {
      const res = await t.post(path, body);
      assert.equal(res.status, 400, `${path} ${field}`);
      assert.equal(((await res.json()) as { field: string }).field, field);
    }
    assert.equal(await count(p), 0);
  });

  test('malformed JSON is a 400 naming the problem', async () => {
    const res = await t.post('/call/start', '{"start": {');
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; field: string };
    assert.equal(body.field, 'body');
    assert.match(body.error, /malformed JSON/);
  });

  test('a malformed project in a v2 path is a 400', async () => {
    const res = await t.post('/v2/acme/bad%20name/calls/complete', { batch: [] });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, 'path');
  });
});

describe('request bodies', () => {
  test('gzip bodies are accepted', async () => {
    const p = project();
    const batch = Array.from({ length: 50 }, () => completeCall({ project_id: p }));
    const body = new Uint8Array(gzipSync(JSON.stringify({ batch })));
    const res = await t.post(`/v2/${p}/calls/complete`, body, { 'content-encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.equal(await count(p), 50);
  });

  test('bodies over 32 MiB are 413, compressed or not, and write nothing', async () => {
    const p = project();
    const big = JSON.stringify({
      batch: [completeCall({ project_id: p, inputs: { blob: 'x'.repeat(33 * 1024 * 1024) } })],
    });
    const plain = await t.post(`/v2/${p}/calls/complete`, big);
    assert.equal(plain.status, 413);
    assert.match(((await plain.json()) as { error: string }).error, /32 MiB/);
    const gz = await t.post(`/v2/${p}/calls/complete`, new Uint8Array(gzipSync(big)), {
      'content-encoding': 'gzip',
    });
    assert.equal(gz.status, 413);
    assert.match(((await gz.json()) as { error: string }).error, /decompressed/);
    assert.equal(await count(p), 0);
  });
});
