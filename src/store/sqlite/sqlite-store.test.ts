import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { StoreError, WeftError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import { runStoreContract } from '../contract.test-suite.js';
import { completePart, startPart } from '../contract/contract-fixtures.test-suite.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-sqlite-store-'));
let counter = 0;
const freshFile = () => path.join(dir, `store-${++counter}.db`);

after(() => fs.rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', async () => SqliteStore.open(freshFile()));

describe('SqliteStore (SQLite specifics)', () => {
  test('opens in WAL mode and migrates to the latest version; reopening is a no-op', async () => {
    const file = freshFile();
    const store = SqliteStore.open(file);
    await store.ingest([completePart('e/p', 'a')]);
    await store.close();
    const raw = new Database(file, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(raw.pragma('user_version', { simple: true }), MIGRATIONS.length);
    } finally {
      raw.close();
    }
    const again = SqliteStore.open(file);
    assert.equal((await again.readCall('e/p', 'a'))?.status, 'success');
    await again.close();
    const third = SqliteStore.open(file);
    assert.equal(await third.countCalls({ project_id: 'e/p' }), 1);
    await third.close();
  });

  test('data of every kind survives close and reopen', async () => {
    const file = freshFile();
    const store = SqliteStore.open(file);
    await store.ingest([startPart('e/p', 'a', { inputs: { x: 1 } })]);
    await store.updateCall('e/p', 'a', { display_name: 'named' });
    const obj = await store.createObject({ project_id: 'e/p', object_id: 'o', val: { v: 1 } });
    const table = await store.createTable('e/p', [{ r: 1 }]);
    const fileDigest = await store.createFile('e/p', 'f', Buffer.from('bytes'));
    await store.createFeedback({ project_id: 'e/p', weave_ref: 'r', feedback_type: 't', payload: { k: 1 } });
    await store.createApiKey('e/p', 'a'.repeat(64));
    await store.close();
    const reopened = SqliteStore.open(file);
    try {
      const call = await reopened.readCall('e/p', 'a');
      assert.deepEqual([call?.display_name, call?.inputs, call?.status], ['named', { x: 1 }, 'running']);
      assert.equal((await reopened.readObject('e/p', 'o', obj))?.digest, obj);
      assert.deepEqual(
        (await reopened.queryTable('e/p', table.digest))?.map((r) => r.val),
        [{ r: 1 }],
      );
      assert.equal((await reopened.readFile('e/p', fileDigest))?.toString(), 'bytes');
      assert.equal((await reopened.queryFeedback({ project_id: 'e/p' })).length, 1);
      assert.equal(await reopened.hasApiKeys(), true);
    } finally {
      await reopened.close();
    }
  });

  test('an unwritable path is a WeftError naming the path', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const bad = path.join(blocker, 'weft.db');
    assert.throws(
      () => SqliteStore.open(bad),
      (err) => {
        assert.ok(err instanceof WeftError);
        assert.equal(err.code, 'STORE_OPEN_FAILED');
        assert.ok(err.message.includes(bad), err.message);
        return true;
      },
    );
  });

  test('a database at schema version 2 (rowid calls table) is upgraded with its data', async () => {
    const file = freshFile();
    const raw = new Database(file);
    raw.exec(`${MIGRATIONS[0]}${MIGRATIONS[1]} PRAGMA user_version = 2;`);
    raw
      .prepare(
        `INSERT INTO calls (project_id, id, trace_id, op_name, started_at_us, inputs, has_start, has_end)
         VALUES ('e/p', 'old', 't', 'op', 5, '{"x":1}', 1, 0)`,
      )
      .run();
    raw.close();
    const store = SqliteStore.open(file);
    try {
      const call = await store.readCall('e/p', 'old');
      assert.deepEqual([call?.status, call?.inputs, call?.trace_id], ['running', { x: 1 }, 't']);
      await store.ingest([completePart('e/p', 'old')]);
      assert.equal(await store.countCalls({ project_id: 'e/p' }), 1);
    } finally {
      await store.close();
    }
  });

  test('times: stored as ISO text at ingest since migration 5, formatted for older rows, same stream', async () => {
    const file = freshFile();
    const raw = new Database(file);
    raw.exec(`${MIGRATIONS.slice(0, 4).join('')} PRAGMA user_version = 4;`);
    raw
      .prepare(
        `INSERT INTO calls (project_id, id, trace_id, op_name, started_at_us, ended_at_us, has_start, has_end)
         VALUES ('e/p', 'old', 't', 'op', 1764000000123456, 1764000001000001, 1, 1)`,
      )
      .run();
    raw.close();
    const store = SqliteStore.open(file);
    try {
      const early = {
        kind: 'end' as const,
        endedAtUs: 1_764_000_003_000_000,
        startedAtUs: 1_764_000_002_500_000, // a v2 end carries its start time
        call: {
          project_id: 'e/p',
          id: 'early-end',
          trace_id: 't',
          ended_at: microsToIso(1_764_000_003_000_000),
          summary: {},
        },
      };
      await store.ingest([completePart('e/p', 'new'), early]);
      const records: string[] = [];
      for await (const c of store.queryCalls({ project_id: 'e/p' })) records.push(JSON.stringify(c));
      const lines: string[] = [];
      for await (const l of store.queryCallsJson({ project_id: 'e/p' })) lines.push(l);
      assert.equal(lines.length, 3);
      assert.deepEqual(lines, records);
      assert.match(
        lines.join('\n'),
        /"started_at":"2025-11-24T16:00:00\.123456Z","ended_at":"2025-11-24T16:00:01\.000001Z"/,
      );
      assert.match(lines.join('\n'), /"id":"early-end".*"started_at":"2025-11-24T16:00:02\.500000Z"/);
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    const rows = check.prepare('SELECT id, started_at_iso, ended_at_iso FROM calls ORDER BY id').all();
    check.close();
    assert.deepEqual(
      rows.map((r) => Object.values(r as object)[1] !== null),
      [true, true, false],
      'early-end and new have ISO text, old has none',
    );
  });

  test('a database from a newer weft is refused', () => {
    const file = freshFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    assert.throws(() => SqliteStore.open(file), /newer/);
  });

  test(':memory: works, streams included, and leaves nothing behind', async () => {
    const store = SqliteStore.open(':memory:');
    const file = store.file;
    await store.ingest([completePart('e/p', 'a'), completePart('e/p', 'b')]);
    const streamed = [];
    for await (const call of store.queryCalls({ project_id: 'e/p' })) streamed.push(call.id);
    assert.deepEqual(streamed, ['a', 'b']);
    await store.close();
    assert.equal(fs.existsSync(file), false);
  });

  test('operations after close fail with STORE_CLOSED; close is idempotent', async () => {
    const store = SqliteStore.open(freshFile());
    await store.close();
    await store.close();
    await assert.rejects(
      store.readCall('e/p', 'a'),
      (err) => err instanceof StoreError && err.code === 'STORE_CLOSED',
    );
    assert.throws(() => store.queryCalls({ project_id: 'e/p' }), /closed/);
  });

  test('a stream of 50 000 rows runs while more calls are ingested', async () => {
    const store = SqliteStore.open(freshFile());
    try {
      const project = 'e/big';
      const batch = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) =>
          completePart(project, `c${String(from + i).padStart(6, '0')}`, {
            startedAtUs: 1_000_000 + from + i,
            inputs: { i: from + i },
          }),
        );
      for (let i = 0; i < 50_000; i += 5_000) await store.ingest(batch(i, 5_000));
      let seen = 0;
      let ingested = 0;
      let previous = '';
      for await (const call of store.queryCalls({ project_id: project })) {
        assert.ok(call.id > previous);
        previous = call.id;
        if (++seen % 5_000 === 0) {
          await store.ingest(batch(100_000 + ingested, 1_000));
          ingested += 1_000;
        }
      }
      assert.equal(seen, 50_000);
      assert.equal(await store.countCalls({ project_id: project }), 50_000 + ingested);
    } finally {
      await store.close();
    }
  });
});

test('queryCallsJson yields exactly the JSON text of queryCalls records', async () => {
  const store = SqliteStore.open(':memory:');
  try {
    const t = '2026-11-28T10:00:00.123456Z';
    await store.ingest([
      {
        kind: 'complete',
        startedAtUs: Date.parse('2026-11-28T10:00:00Z') * 1000 + 123_456,
        endedAtUs: Date.parse('2026-11-28T10:00:01Z') * 1000,
        call: {
          project_id: 'acme/json',
          id: 'j1',
          trace_id: 't1',
          parent_id: null,
          op_name: 'op "quoted" é',
          started_at: t,
          ended_at: '2026-11-28T10:00:01.000000Z',
          attributes: { a: [1, { b: null }] },
          inputs: { q: 'line\nbreak', n: 1.5 },
          output: 'ok',
          summary: { status_counts: { success: 1, error: 0 } },
        },
      },
      {
        kind: 'start',
        startedAtUs: 1,
        call: {
          project_id: 'acme/json',
          id: 'j2',
          trace_id: 't2',
          parent_id: 'j1',
          op_name: 'x',
          started_at: '1970-01-01T00:00:00.000001Z',
          attributes: {},
          inputs: {},
        },
      },
    ]);
    const records: string[] = [];
    for await (const c of store.queryCalls({ project_id: 'acme/json' })) records.push(JSON.stringify(c));
    const lines: string[] = [];
    for await (const l of store.queryCallsJson({ project_id: 'acme/json' })) lines.push(l);
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      records.map((r) => JSON.parse(r) as unknown),
    );
    assert.deepEqual(lines, records);
    const narrow = { project_id: 'acme/json', columns: ['inputs', 'ended_at'] };
    const narrowRecords: string[] = [];
    for await (const c of store.queryCalls(narrow)) narrowRecords.push(JSON.stringify(c));
    const narrowLines: string[] = [];
    for await (const l of store.queryCallsJson(narrow)) narrowLines.push(l);
    assert.deepEqual(narrowLines, narrowRecords);
  } finally {
    await store.close();
  }
});

test('queryCallsJson matches queryCalls for every status, overrides, odd strings and times before 1970', async () => {
  const store = SqliteStore.open(':memory:');
  try {
    const project_id = 'acme/json2';
    const start = (id: string, us: number, extra: Record<string, unknown> = {}) => ({
      kind: 'start' as const,
      startedAtUs: us,
      call: {
        ...{ project_id, id, trace_id: 't', parent_id: null, op_name: 'op', started_at: microsToIso(us) },
        ...{ attributes: {}, inputs: { n: us }, ...extra },
      },
    });
    const end = (id: string, us: number, exception: string | null = null) => ({
      kind: 'end' as const,
      endedAtUs: us,
      call: { project_id, id, ended_at: microsToIso(us), exception, summary: {} },
    });
    await store.ingest([
      start('before-1970', -1_500_001, { display_name: 'tab\there "q" \\ \u0000 \u0001 é 😀' }),
      end('before-1970', -1),
      start('running', 0, { thread_id: 'th', turn_id: 'tu', wb_user_id: 'u', wb_run_id: 'r' }),
      end('missing-start', 2_000_000_000_000_000),
      start('failed', 1_764_000_000_000_000),
      end('failed', 1_764_000_000_123_456, 'Boom: "bad"\n  at x'),
    ]);
    await store.updateCall(project_id, 'running', { display_name: 'renamed' });
    await store.updateCall(project_id, 'failed', { display_name: null });
    const records: string[] = [];
    for await (const c of store.queryCalls({ project_id })) records.push(JSON.stringify(c));
    const lines: string[] = [];
    for await (const l of store.queryCallsJson({ project_id })) lines.push(l);
    assert.equal(lines.length, 4);
    assert.deepEqual(lines, records);
    const early = lines.find((l) => l.includes('"id":"before-1970"')) ?? '';
    assert.match(
      early,
      /"started_at":"1969-12-31T23:59:58\.499999Z","ended_at":"1969-12-31T23:59:59\.999999Z"/,
    );
  } finally {
    await store.close();
  }
});
