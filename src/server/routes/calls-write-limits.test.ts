import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { JSON_LIMITS } from '../../shared/json-limits.js';
import { completeCall, createTestApp, endedCall, startedCall, uid } from '../test-app.test-helper.js';

/**
 * What the call write routes refuse so that a stored call never breaks a query or reads back changed:
 * values nested past JSON_LIMITS.maxDepth, non-finite numbers, impossible times. Each refusal is a 400
 * naming the wire field, and nothing of the request is written.
 */

const t = createTestApp();
after(() => t.close());

function project(): string {
  return `acme/${uid('p')}`;
}

/** `{ a: { a: ... { a: 1 } } }` with `levels` objects. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

async function count(projectId: string): Promise<number> {
  const res = await t.post('/calls/query_stats', { project_id: projectId });
  assert.equal(res.status, 200);
  return ((await res.json()) as { count: number }).count;
}

/** A query that makes SQLite parse every call's inputs (as the UI's search does). */
async function searchInputs(projectId: string): Promise<Response> {
  return t.post('/calls/query', {
    project_id: projectId,
    query: { $expr: { $contains: { input: { $getField: 'inputs.a' }, substr: { $literal: 'x' } } } },
  });
}

async function assertRefused(res: Response, field: string, message: RegExp): Promise<void> {
  const body = (await res.json()) as { error: string; field: string };
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.equal(body.field, field);
  assert.ok(body.error.startsWith(`${field}: `), body.error);
  assert.match(body.error, message);
}

/** One request per write route, each carrying `patch` in its call(s). */
function writes(p: string, patch: Record<string, unknown>): [string, unknown, string][] {
  const id = uid();
  return [
    [
      `/v2/${p}/calls/complete`,
      { batch: [completeCall({ project_id: p }), { ...completeCall({ project_id: p }), ...patch }] },
      'batch[1]',
    ],
    ['/call/start', { start: { ...startedCall({ project_id: p, id }), ...patch } }, 'start'],
    ['/call/end', { end: { ...endedCall({ project_id: p, id }), ...patch } }, 'end'],
    [`/v2/${p}/call/start`, { start: { ...startedCall({ project_id: p, id }), ...patch } }, 'start'],
    [`/v2/${p}/call/end`, { end: { ...endedCall({ project_id: p, id }), ...patch } }, 'end'],
    [
      '/call/upsert_batch',
      {
        batch: [
          { mode: 'start', req: { start: startedCall({ project_id: p }) } },
          { mode: 'start', req: { start: { ...startedCall({ project_id: p, id }), ...patch } } },
        ],
      },
      'batch[1].req.start',
    ],
  ];
}

describe('deeply nested values', () => {
  test(`inputs nested past ${JSON_LIMITS.maxDepth} levels are a 400 on every route; queries keep working`, async () => {
    const p = project();
    for (const field of ['inputs', 'attributes', 'output', 'summary']) {
      for (const [path, body, at] of writes(p, { [field]: nested(1_001) })) {
        const isEnd = at === 'end' || path.endsWith('/call/end');
        const isStart = at.endsWith('start') && !path.includes('complete');
        const ofStart = field === 'inputs' || field === 'attributes';
        if ((isEnd && ofStart) || (isStart && !ofStart)) continue; // not a field of that half
        await assertRefused(await t.post(path, body), `${at}.${field}`, /nested deeper than 500/);
      }
    }
    assert.equal(await count(p), 0);
    const res = await searchInputs(p);
    assert.equal(res.status, 200);
  });

  test('a value at the limit is stored and searchable', async () => {
    const p = project();
    const inputs = nested(JSON_LIMITS.maxDepth);
    const res = await t.post(`/v2/${p}/calls/complete`, { batch: [completeCall({ project_id: p, inputs })] });
    assert.equal(res.status, 200);
    assert.equal((await searchInputs(p)).status, 200);
    assert.equal(await count(p), 1);
  });

  test('a 100 000-level value is a 400, not a stack overflow', async () => {
    const p = project();
    const text = `{"batch":[${JSON.stringify(completeCall({ project_id: p })).slice(0, -1)},"output":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    await assertRefused(await t.post(`/v2/${p}/calls/complete`, text), 'batch[0].output', /nested deeper/);
  });

  test('feedback payloads nested past the limit are a 400', async () => {
    const p = project();
    const res = await t.post('/feedback/create', {
      project_id: p,
      weave_ref: `weave:///${p}/call/x`,
      feedback_type: 'note',
      payload: nested(1_001),
    });
    await assertRefused(res, 'payload', /nested deeper than 500/);
    const query = await t.post('/feedback/query', { project_id: p });
    assert.deepEqual(await query.json(), { result: [] });
  });
});
