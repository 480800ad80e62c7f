import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { CallsQuery } from '../trace-store.js';
import { compileCallsCount, compileCallsSelect } from './call-query-sql.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * The hot queries use the intended indexes on a fresh (empty) store: the planner statistics are fixed
 * by a migration, so plans do not depend on the data (see migrations.ts).
 */
describe('SQLite query plans', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-sqlite-plans-'));
  let db: Database.Database;
  before(async () => {
    const file = path.join(dir, 'plans.db');
    await SqliteStore.open(file).close();
    db = new Database(file, { readonly: true });
  });
  after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const plan = (sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');
  const selectPlan = (q: CallsQuery) => {
    const c = compileCallsSelect(q);
    return plan(c.sql, c.params);
  };
  const P = 'e/p';
  const latest = [{ field: 'started_at', direction: 'desc' as const }];
  const opErrors = {
    $and: [
      { $eq: [{ $getField: 'op_name' }, { $literal: 'op' }] },
      { $gte: [{ $getField: 'started_at' }, { $literal: '2025-01-01T00:00:00Z' }] },
      { $lt: [{ $getField: 'started_at' }, { $literal: '2025-01-02T00:00:00Z' }] },
      { $eq: [{ $getField: 'status' }, { $literal: 'error' }] },
    ],
  } as NonNullable<CallsQuery['query']>['$expr'];

  test('latest root calls read calls_roots in order', () => {
    const p = selectPlan({ project_id: P, filter: { trace_roots_only: true }, sort_by: latest, limit: 50 });
    assert.match(p, /USING INDEX calls_roots/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
  });

  test('the calls of a trace read calls_trace in order', () => {
    const p = selectPlan({ project_id: P, filter: { trace_ids: ['t'] } });
    assert.match(p, /USING INDEX calls_trace \(project_id=\? AND trace_id=\?\)/);
    assert.doesNotMatch(p, /TEMP B-TREE/);
  });

  test('op + time range + status error reads the partial calls_errors index', () => {
    assert.match(
      selectPlan({ project_id: P, query: { $expr: opErrors }, sort_by: latest, limit: 50 }),
      /calls_errors/,
    );
    const c = compileCallsCount({ project_id: P, query: { $expr: opErrors } });
    assert.match(
      plan(c.sql, c.params),
      /calls_errors \(project_id=\? AND op_name=\? AND started_at_us>\? AND started_at_us<\?\)/,
    );
  });

  test('latest calls of a project, of an op, children of a call, calls by id', () => {
    assert.match(selectPlan({ project_id: P, sort_by: latest, limit: 50 }), /USING INDEX calls_started/);
    assert.match(
      selectPlan({ project_id: P, filter: { op_names: ['o'] }, sort_by: latest, limit: 50 }),
      /calls_op/,
    );
    assert.match(selectPlan({ project_id: P, filter: { parent_ids: ['x'] } }), /calls_parent/);
    assert.match(selectPlan({ project_id: P, filter: { call_ids: ['x', 'y'] } }), /USING INDEX calls_key/);
  });
});
