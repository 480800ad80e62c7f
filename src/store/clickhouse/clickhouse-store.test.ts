import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StoreError, WeftError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import { runStoreContract } from '../contract.test-suite.js';
import {
  collect,
  completePart,
  endPart,
  startPart,
  T0,
  uniqueProject,
} from '../contract/contract-fixtures.test-suite.js';
import type { CallsQuery } from '../trace-store.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { ClickHouseConnection } from './clickhouse-connection.js';
import { MIGRATIONS, runStatement } from './migrations.js';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL, TestDatabases } from './test-databases.test-helper.js';

/**
 * The ClickHouse store against a real ClickHouse (WEFT_CLICKHOUSE_URL): the shared contract, then
 * what only this store has (merging at read time, batched inserts, several servers on one database,
 * migrations). Every store opened here gets a fresh database, dropped at the end.
 */

const databases = new TestDatabases();
after(() => databases.dropAll());

if (CLICKHOUSE_SKIP) {
  test('TraceStore contract: clickhouse', { skip: CLICKHOUSE_SKIP }, () => assert.fail('not run'));
  test('ClickHouseStore (ClickHouse specifics)', { skip: CLICKHOUSE_SKIP }, () => assert.fail('not run'));
} else {
  runStoreContract('clickhouse', () => databases.open());
  specifics();
}

function specifics(): void {
  describe('ClickHouseStore (ClickHouse specifics)', () => {
    let store: ClickHouseStore;
    let database: string;
    before(async () => {
      database = databases.fresh();
      store = await databases.open(database);
    });
    after(() => store.close());

    const activeParts = async () => {
      const [row] = await databases.sql(
        `SELECT count() AS n FROM system.parts WHERE database = '${database}' AND table = 'call_parts' AND active`,
      );
      return Number(row?.n);
    };

    test('halves in separate inserts read as one call before any merge, and the same after', async () => {
      await databases.sql(`SYSTEM STOP MERGES \`${database}\`.call_parts`);
      const project = uniqueProject();
      const partsBefore = await activeParts();
      await store.ingest([endPart(project, 'c', { endedAtUs: T0 + 50, output: 'first' })]);
      await store.ingest([startPart(project, 'c', { startedAtUs: T0 + 10, inputs: { v: 1 } })]);
      await store.ingest([startPart(project, 'c', { startedAtUs: T0 + 10, inputs: { v: 2 } })]);
      await store.ingest([endPart(project, 'c', { endedAtUs: T0 + 60, output: 'second' })]);
      await store.updateCall(project, 'c', { display_name: 'named' });
      assert.ok(
        (await activeParts()) >= partsBefore + 5,
        'each write is its own part while merges are stopped',
      );
      const expectCall = async (label: string) => {
        const call = await store.readCall(project, 'c');
        assert.deepEqual(
          [call?.status, call?.inputs, call?.output, call?.display_name, call?.ended_at],
          ['success', { v: 2 }, 'second', 'named', microsToIso(T0 + 60)],
          label,
        );
        assert.equal(await store.countCalls({ project_id: project }), 1, label);
        const query: CallsQuery['query'] = { $expr: { $eq: [{ $getField: 'inputs.v' }, { $literal: 1 }] } };
        assert.equal(
          await store.countCalls({ project_id: project, query }),
          0,
          `${label}: old start is not seen`,
        );
      };
      await expectCall('unmerged');
      await databases.sql(`SYSTEM START MERGES \`${database}\`.call_parts`);
      await databases.sql(`OPTIMIZE TABLE \`${database}\`.call_parts FINAL`);
      assert.equal(await activeParts(), 1, 'merged into one part');
      await expectCall('merged');
    });

    test('concurrent ingests share one insert, and each resolves only once its rows are readable', async () => {
      const batching = await databases.open(database, { ingest: { maxDelayMs: 2_000, maxRows: 10_000 } });
      try {
        const project = uniqueProject();
        const before = batching.ingestStats.inserts;
        const requests = Array.from({ length: 20 }, (_, i) =>
          batching
            .ingest([completePart(project, `a${i}`), completePart(project, `b${i}`)])
            .then(() => batching.readCall(project, `a${i}`)),
        );
        const calls = await Promise.all(requests);
        assert.ok(calls.every((c) => c?.status === 'success'));
        assert.equal(batching.ingestStats.inserts - before, 1, 'one insert for 20 requests');
        assert.equal(await store.countCalls({ project_id: project }), 40);
      } finally {
        await batching.close();
      }
    });

    test('a full block is inserted at once; a request larger than a block is not split', async () => {
      const small = await databases.open(database, { ingest: { maxDelayMs: 60_000, maxRows: 10 } });
      try {
        const project = uniqueProject();
        const big = Array.from({ length: 25 }, (_, i) => completePart(project, `big${i}`));
        const started = performance.now();
        await Promise.all([small.ingest(big), small.ingest(big.slice(0, 10).map((p) => ({ ...p })))]);
        assert.ok(performance.now() - started < 30_000, 'did not wait for the delay');
        assert.equal(small.ingestStats.inserts, 2);
        assert.equal(await small.countCalls({ project_id: project }), 25);
      } finally {
        await small.close();
      }
    });

    test('two stores on one database (two servers) see each other’s writes at once', async () => {
      const other = await databases.open(database);
      try {
        const project = uniqueProject();
        await store.ingest([startPart(project, 'x', { display_name: 'from A' })]);
        await other.ingest([endPart(project, 'x', { output: 'from B' })]);
        for (const s of [store, other]) {
          const call = await s.readCall(project, 'x');
          assert.deepEqual([call?.status, call?.output, call?.display_name], ['success', 'from B', 'from A']);
        }
        assert.equal(await other.updateCall(project, 'x', { display_name: 'renamed by B' }), true);
        assert.equal((await store.readCall(project, 'x'))?.display_name, 'renamed by B');
        await store.createObject({ project_id: project, object_id: 'o', val: 1 });
        await other.createObject({ project_id: project, object_id: 'o', val: 2 });
        assert.deepEqual((await store.readObject(project, 'o', 'latest'))?.val, 2);
        assert.deepEqual((await other.readObject(project, 'o', 'v0'))?.val, 1);
        await other.createApiKey(project, 'f'.repeat(64));
        assert.equal((await store.findApiKey('f'.repeat(64)))?.project_id, project);
        assert.equal(await store.deleteCalls(project, ['x']), 1);
        assert.equal(await other.readCall(project, 'x'), null);
      } finally {
        await other.close();
      }
    });

    test('a part written after a delete starts a new call, as in SQLite', async () => {
      const project = uniqueProject();
      await store.ingest([completePart(project, 'd', {}, { output: 'old' })]);
      assert.equal(await store.deleteCalls(project, ['d']), 1);
      assert.equal(await store.deleteCalls(project, ['d']), 0);
      await store.ingest([endPart(project, 'd', { output: 'late' })]);
      const call = await store.readCall(project, 'd');
      assert.deepEqual([call?.status, call?.output], ['missing_start', 'late']);
      assert.equal((await store.listProjects()).find((p) => p.project_id === project)?.call_count, 1);
    });

    test('hostile ids, project ids and literals are stored and matched exactly', async () => {
      const hostile = ["p' OR 1=1 --", 'a\\', "\\'; DROP TABLE call_parts; --", 'nul\u0000x', 'é😀\n\t/*c*/'];
      for (const value of hostile) {
        const project = `${uniqueProject()}${value}`;
        await store.ingest([completePart(project, value, { inputs: { [value]: value, v: value } })]);
        const call = await store.readCall(project, value);
        assert.equal(call?.id, value);
        assert.deepEqual(call?.inputs?.v, value);
        const found = await collect(
          store.queryCalls({
            project_id: project,
            query: { $expr: { $eq: [{ $getField: 'inputs.v' }, { $literal: value }] } },
          }),
        );
        assert.deepEqual(
          found.map((c) => c.id),
          [value],
        );
        const contains = { $contains: { input: { $getField: 'inputs.v' }, substr: { $literal: value } } };
        assert.equal(await store.countCalls({ project_id: project, query: { $expr: contains } }), 1);
      }
      const [tables] = await databases.sql(
        `SELECT count() AS n FROM system.tables WHERE database = '${database}'`,
      );
      assert.ok(Number(tables?.n) >= 10, 'no table was dropped');
    });

    test('migrations are versioned and idempotent; a newer schema is refused', async () => {
      const name = databases.fresh();
      const [a, b] = await Promise.all([databases.open(name), databases.open(name)]);
      await a.close();
      await b.close();
      const again = await databases.open(name);
      await again.close();
      const [row] = await databases.sql(`SELECT max(version) AS v FROM \`${name}\`.weft_migrations`);
      assert.equal(Number(row?.v), MIGRATIONS.length);
      await databases.sql(
        `INSERT INTO \`${name}\`.weft_migrations (version, name, applied_at_us) VALUES (999, 'future', 0)`,
      );
      await assert.rejects(
        databases.open(name),
        (err) => err instanceof StoreError && err.code === 'STORE_SCHEMA_TOO_NEW',
      );
    });

    test('an added column that another open already added is not a migration failure', async () => {
      const name = databases.fresh();
      const conn = await ClickHouseConnection.open({
        url: CLICKHOUSE_URL!,
        database: name,
        requestTimeoutMs: 10_000,
        maxOpenConnections: 2,
      });
      try {
        await conn.exec('CREATE TABLE t (a String) ENGINE = MergeTree ORDER BY a');
        const add = 'ALTER TABLE t ADD COLUMN b Nullable(String)';
        await runStatement(conn, add, 1);
        await runStatement(conn, add, 1); // the second process's run of the same step
        const [row] = await databases.sql(
          `SELECT count() AS n FROM system.columns WHERE database = '${name}' AND table = 't' AND name = 'b'`,
        );
        assert.equal(Number(row?.n), 1);
        await assert.rejects(runStatement(conn, 'ALTER TABLE t ADD COLUMN c NoSuchType', 1));
      } finally {
        await conn.close();
        await databases.sql(`DROP DATABASE IF EXISTS \`${name}\``);
      }
    });

    test('an unreachable server is a STORE_OPEN_FAILED naming the database', async () => {
      await assert.rejects(
        databases.open('weft_unreachable', { url: 'http://127.0.0.1:1', requestTimeoutMs: 2_000 }),
        (err) =>
          err instanceof WeftError &&
          err.code === 'STORE_OPEN_FAILED' &&
          err.message.includes('weft_unreachable'),
      );
    });
  });
}
