import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  collect,
  completePart,
  endPart,
  startPart,
  T0,
  uniqueProject,
} from '../contract/contract-fixtures.test-suite.js';
import type { CallsQuery } from '../trace-store.js';
import { latestPlan } from './call-latest-sql.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { CLICKHOUSE_SKIP, TestDatabases } from './test-databases.test-helper.js';

/**
 * The "latest N" candidate plan (call-latest-sql.ts) against the full query: every page it gives must
 * be the slice of the full, unpaged result (which never takes the fast plan), whatever deletes,
 * re-sent starts, renames and calls without a start do to the candidates.
 */

const databases = new TestDatabases();
after(() => databases.dropAll());

const DESC = [{ field: 'started_at', direction: 'desc' as const }];

async function expectSameAsFull(store: ClickHouseStore, query: CallsQuery, fast = true): Promise<void> {
  const { limit, offset = 0, ...rest } = query;
  if (fast) assert.ok(latestPlan(query), 'the query takes the fast plan');
  const page = (await collect(store.queryCalls(query))).map((c) => c.id);
  const full = (await collect(store.queryCalls(rest))).map((c) => c.id);
  assert.deepEqual(page, full.slice(offset, offset + (limit ?? full.length)), JSON.stringify(query));
}

describe('latest-calls plan', { skip: CLICKHOUSE_SKIP }, () => {
  let store: ClickHouseStore;
  let database: string;
  const project = uniqueProject();
  before(async () => {
    database = databases.fresh();
    store = await databases.open(database);
    const parts = [];
    for (let i = 0; i < 300; i++) {
      const id = `c${String(i).padStart(4, '0')}`;
      const root = i % 3 === 0;
      parts.push(
        completePart(
          project,
          id,
          {
            startedAtUs: T0 + i * 1_000,
            parent_id: root ? null : `c${String(i - (i % 3)).padStart(4, '0')}`,
            op_name: i % 2 === 0 ? 'even' : 'odd',
            inputs: { text: i % 37 === 0 ? 'a rare kumquat' : 'plain words' },
          },
          { endedAtUs: T0 + i * 1_000 + 500, exception: i % 5 === 0 ? 'boom' : null },
        ),
      );
    }
    await store.ingest(parts);
    // The latest calls deleted; one re-created after its delete.
    await store.deleteCalls(project, ['c0299', 'c0298', 'c0297', 'c0296', 'c0294']);
    await store.ingest([completePart(project, 'c0294', { startedAtUs: T0 + 10 }, { endedAtUs: T0 + 20 })]);
    // A re-sent start (newer version) moving a recent call far back; an old one forward.
    await store.ingest([startPart(project, 'c0293', { startedAtUs: T0 + 5, op_name: 'odd' })]);
    await store.ingest([startPart(project, 'c0003', { startedAtUs: T0 + 999_000, op_name: 'odd' })]);
    // Calls without a start: one v1 end (no start time), one v2 end with a late start time.
    await store.ingest([endPart(project, 'nostart-v1', { endedAtUs: T0 + 400_000 })]);
    await store.ingest([
      endPart(project, 'nostart-v2', { endedAtUs: T0 + 800_000, startedAtUs: T0 + 700_000, trace_id: 't2' }),
    ]);
    await store.updateCall(project, 'c0290', { display_name: 'renamed' });
  });
  after(() => store.close());

  test('latest calls and roots, with offsets, match the full query', async () => {
    for (const [limit, offset] of [
      [1, 0],
      [5, 0],
      [10, 3],
      [50, 0],
      [50, 280],
      [400, 0],
    ] as const) {
      await expectSameAsFull(store, { project_id: project, sort_by: DESC, limit, offset });
      await expectSameAsFull(store, {
        project_id: project,
        filter: { trace_roots_only: true },
        sort_by: DESC,
        limit,
        offset,
      });
    }
  });

  test('filters the probe cannot check, and status filters, widen or fall back', async () => {
    const queries: CallsQuery[] = [
      { project_id: project, filter: { op_names: ['odd'] }, sort_by: DESC, limit: 7 },
      {
        project_id: project,
        query: {
          $expr: { $contains: { input: { $getField: 'inputs.text' }, substr: { $literal: 'kumquat' } } },
        },
        sort_by: DESC,
        limit: 5,
      },
      {
        project_id: project,
        query: { $expr: { $eq: [{ $getField: 'status' }, { $literal: 'error' }] } },
        sort_by: [...DESC, { field: 'op_name', direction: 'asc' }],
        limit: 20,
        offset: 2,
      },
      {
        project_id: project,
        query: { $expr: { $eq: [{ $getField: 'status' }, { $literal: 'missing_start' }] } },
        sort_by: DESC,
        limit: 2,
      },
      {
        project_id: project,
        query: {
          $expr: {
            $and: [
              { $eq: [{ $getField: 'op_name' }, { $literal: 'odd' }] },
              {
                $gt: [
                  { $getField: 'started_at' },
                  { $literal: new Date((T0 + 100_000) / 1000).toISOString() },
                ],
              },
            ],
          },
        },
        sort_by: DESC,
        limit: 10,
      },
      { project_id: project, filter: { trace_ids: ['t2', 'trace-c0003'] }, sort_by: DESC, limit: 1 },
    ];
    for (const query of queries) await expectSameAsFull(store, query, false);
  });

  test('a database migrated from before call_starts is backfilled', async () => {
    await store.close();
    for (const table of [
      'call_starts_mv',
      'call_traces_mv',
      'call_starts',
      'call_traces',
      'weft_migrations',
    ]) {
      await databases.sql(`DROP TABLE IF EXISTS \`${database}\`.${table}`);
    }
    await databases.sql(
      `CREATE TABLE \`${database}\`.weft_migrations (version UInt32, name String, applied_at_us Int64) ENGINE = MergeTree ORDER BY version`,
    );
    await databases.sql(
      `INSERT INTO \`${database}\`.weft_migrations VALUES (1, 'calls', 0), (2, 'feedback, objects, tables, files, api keys', 0)`,
    );
    store = await databases.open(database);
    const [row] = await databases.sql(`SELECT count() AS n FROM \`${database}\`.call_starts`);
    assert.ok(Number(row?.n) >= 300);
    await expectSameAsFull(store, { project_id: project, sort_by: DESC, limit: 10 });
    await expectSameAsFull(store, {
      project_id: project,
      filter: { trace_ids: ['trace-c0003'] },
      sort_by: DESC,
      limit: 5,
    });
  });
});
