import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import { completeCall, createTestApp, startedCall } from '../test-app.test-helper.js';

const t = createTestApp({ streamChunkBytes: 4096 });
const P = 'acme/reads';
const N = 2500;
after(() => t.close());

before(async () => {
  const batch = Array.from({ length: N }, (_, i) =>
    completeCall({
      project_id: P,
      id: `r-${String(i).padStart(5, '0')}`,
      op_name: i % 2 === 0 ? 'even' : 'odd',
      started_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      ended_at: new Date(Date.UTC(2026, 0, 1) + i * 1000 + 500).toISOString(),
      inputs: { i },
    }),
  );
  assert.equal((await t.post(`/v2/${P}/calls/complete`, { batch })).status, 200);
  await t.post('/call/start', { start: startedCall({ project_id: 'other/project', id: 'elsewhere' }) });
});

type Page = { calls: CallRecord[]; next_cursor: string | null };

describe('/calls/stream_query', () => {
  test('streams every call as NDJSON, one per line, without a limit', async () => {
    const res = await t.post('/calls/stream_query', { project_id: P });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/jsonl/);
    const lines = (await res.text()).trimEnd().split('\n');
    assert.equal(lines.length, N);
    const calls = lines.map((l) => JSON.parse(l) as CallRecord);
    assert.equal(new Set(calls.map((c) => c.id)).size, N);
    assert.ok(calls.every((c) => c.project_id === P && c.status === 'success'));
  });

  test('honours filter, query, sort_by, limit, offset and columns', async () => {
    const res = await t.post('/calls/stream_query', {
      project_id: P,
      filter: { op_names: ['even'] },
      query: { $expr: { $gte: [{ $getField: 'inputs.i' }, { $literal: 100 }] } },
      sort_by: [{ field: 'started_at', direction: 'desc' }],
      limit: 3,
      offset: 1,
      columns: ['id', 'op_name'],
    });
    const calls = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Partial<CallRecord>);
    assert.deepEqual(
      calls.map((c) => c.id),
      ['r-02496', 'r-02494', 'r-02492'],
    );
    assert.equal(calls[0]?.inputs ?? null, null, 'columns not asked for are not returned');
  });

  test('an unknown $getField is a 400 naming it, before anything is streamed', async () => {
    const res = await t.post('/calls/stream_query', {
      project_id: P,
      query: { $expr: { $eq: [{ $getField: 'colour' }, { $literal: 'red' }] } },
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; field: string };
    assert.match(body.field, /^query\.\$expr/);
    assert.match(body.error, /colour/);
  });
});

describe('/calls/query', () => {
  test('pages through everything with cursors, 100 per page by default', async () => {
    const first = (await (await t.post('/calls/query', { project_id: P })).json()) as Page;
    assert.equal(first.calls.length, 100);
    const ids = new Set(first.calls.map((c) => c.id));
    let cursor = first.next_cursor;
    let pages = 1;
    while (cursor !== null) {
      const res = await t.post('/calls/query', { project_id: P, limit: 1000, cursor });
      assert.equal(res.status, 200);
      const page = (await res.json()) as Page;
      for (const c of page.calls) ids.add(c.id);
      cursor = page.next_cursor;
      pages++;
    }
    assert.equal(ids.size, N);
    assert.equal(pages, 4); // 100 + 1000 + 1000 + 400
  });

  test('the last page has next_cursor null; limit is capped at 10 000', async () => {
    const page = (await (
      await t.post('/calls/query', { project_id: P, offset: N - 5, limit: 5 })
    ).json()) as Page;
    assert.equal(page.calls.length, 5);
    assert.equal(page.next_cursor, null);
    const tooMany = await t.post('/calls/query', { project_id: P, limit: 10_001 });
    assert.equal(tooMany.status, 400);
    assert.equal(((await tooMany.json()) as { field: string }).field, 'limit');
  });

  test('a cursor from another query is refused', async () => {
    const page = (await (await t.post('/calls/query', { project_id: P, limit: 10 })).json()) as Page;
    assert.ok(page.next_cursor);
    const res = await t.post('/calls/query', {
      project_id: P,
      filter: { op_names: ['odd'] },
      cursor: page.next_cursor,
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { field: string }).field, 'cursor');
  });

  test('wrong types are 400s naming the field', async () => {
    for (const [body, field] of [
      [{ project_id: P, limit: 'ten' }, 'limit'],
      [{ project_id: P, filter: { trace_ids: 'x' } }, 'filter.trace_ids'],
      [{ project_id: P, sort_by: {} }, 'sort_by'],
      [{ limit: 1 }, 'project_id'],
    ] as const) {
      const res = await t.post('/calls/query', body);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { field: string }).field, field);
    }
  });
});

describe('/calls/query_stats and /call/read', () => {
  test('counts with filters and query', async () => {
    const count = async (body: object) =>
      ((await (await t.post('/calls/query_stats', { project_id: P, ...body })).json()) as { count: number })
        .count;
    assert.equal(await count({}), N);
    assert.equal(await count({ filter: { op_names: ['odd'] } }), N / 2);
    assert.equal(
      await count({ query: { $expr: { $lt: [{ $getField: 'inputs.i' }, { $literal: 10 }] } } }),
      10,
    );
    assert.equal(await count({ limit: 7 }), 7);
  });

  test('reads one call, or null', async () => {
    const hit = (await (await t.post('/call/read', { project_id: P, id: 'r-00007' })).json()) as {
      call: CallRecord;
    };
    assert.deepEqual(hit.call.inputs, { i: 7 });
    const miss = await t.post('/call/read', { project_id: P, id: 'elsewhere' });
    assert.deepEqual(await miss.json(), { call: null });
    const noId = await t.post('/call/read', { project_id: P });
    assert.equal(noId.status, 400);
  });
});
