import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTruncatedValue, type TruncatedValue } from '../src/shared/api-types.js';
import type { CallRecord } from '../src/shared/call-types.js';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL } from '../src/store/clickhouse/test-databases.test-helper.js';
import { WeftServer, type WeftServerStore } from './helpers/weft-server.js';

/**
 * Issue #11, "Large calls break /calls/query": 20 calls of 30 MiB made the calls page answer 500
 * ("Invalid string length") at 1.6 GB RSS. The page now carries each big value as a truncation marker
 * cut in the store's SQL, streamed, and `/call/read` gives the full value (the UI's "show full").
 * Sized to fit the suite: 6 calls of 30 MiB on SQLite (the old page parsed all 180 MiB into objects
 * and stringified them again, > 500 MB of growth), 4 of 2 MiB on ClickHouse.
 */

const MiB = 1024 * 1024;
const T = Date.UTC(2026, 0, 1);

function bigCall(project: string, i: number, textBytes: number): Record<string, unknown> {
  return {
    project_id: project,
    id: `big-${i}`,
    trace_id: `trace-${i}`,
    parent_id: null,
    op_name: 'big',
    started_at: new Date(T + i * 1000).toISOString(),
    ended_at: new Date(T + i * 1000 + 5).toISOString(),
    attributes: {},
    inputs: { text: 'x'.repeat(textBytes) },
    output: 'small output',
    summary: {},
  };
}

const cases: { name: string; store: WeftServerStore; skip: string | false; calls: number; bytes: number }[] =
  [
    { name: 'sqlite', store: { kind: 'sqlite' }, skip: false, calls: 6, bytes: 30 * MiB },
    {
      name: 'clickhouse',
      store: { kind: 'clickhouse', clickhouseUrl: CLICKHOUSE_URL ?? '' },
      skip: CLICKHOUSE_SKIP,
      calls: 4,
      bytes: 2 * MiB,
    },
  ];

for (const { name, store, skip, calls, bytes } of cases) {
  describe(`/calls/query with large calls (${name})`, { skip }, () => {
    const server = new WeftServer([], store);
    const project = 'acme/big';
    before(async () => {
      await server.start();
      for (let i = 0; i < calls; i++) {
        const res = await server.post(`/v2/${project}/calls/complete`, {
          batch: [bigCall(project, i, bytes)],
        });
        assert.equal(res.status, 200, await res.text());
      }
    });
    after(() => server.dispose());

    test('the page answers 200 with a marker per big value, in bounded memory', async () => {
      const idle = server.rssBytes();
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, server.rssBytes())), 10);
      let page: { calls: CallRecord[]; next_cursor: string | null };
      try {
        const res = await server.post('/calls/query', { project_id: project, limit: 50 });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        page = (await res.json()) as typeof page;
      } finally {
        clearInterval(sampler);
      }
      assert.equal(page.calls.length, calls);
      assert.equal(page.next_cursor, null);
      const expectedBytes = JSON.stringify({ text: 'x'.repeat(bytes) }).length;
      for (const call of page.calls) {
        assert.ok(isTruncatedValue(call.inputs), `inputs of ${call.id} is a marker`);
        const marker = call.inputs as unknown as TruncatedValue;
        assert.equal(marker.bytes, expectedBytes);
        assert.ok(marker.preview.startsWith('{"text":"xxx'), marker.preview.slice(0, 20));
        assert.ok(marker.preview.length <= 1000);
        assert.equal(call.output, 'small output', 'small values are returned as they are');
      }
      if (name === 'sqlite') {
        const growth = (peak - idle) / MiB;
        assert.ok(
          growth < 150,
          `server RSS grew ${growth.toFixed(0)} MiB for the page (idle ${idle / MiB} MiB)`,
        );
      }
    });

    test('/call/read returns the full value (the expand endpoint)', async () => {
      const res = await server.post('/call/read', { project_id: project, id: 'big-0' });
      assert.equal(res.status, 200);
      const { call } = (await res.json()) as { call: CallRecord };
      assert.equal(
        (call.inputs as { text?: string }).text?.length,
        bytes,
        JSON.stringify(call.inputs).slice(0, 200),
      );
    });

    test('a page may ask for a smaller cap, never for none, and a tiny cap is a 400 naming it', async () => {
      const res = await server.post('/calls/query', {
        project_id: project,
        limit: 1,
        truncate_values_over: 1 << 30,
      });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { calls: CallRecord[]; next_cursor: string | null };
      assert.ok(isTruncatedValue(page.calls[0]?.inputs), 'the server cap still applies');
      assert.ok(page.next_cursor, 'the extra row only sets the cursor');
      const bad = await server.post('/calls/query', { project_id: project, truncate_values_over: 10 });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /truncate_values_over/);
    });
  });
}
