import { StoreError } from '../../shared/errors.js';
import { nowMicros } from '../../shared/time.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { sqlNumber, sqlString } from './sql-literal.js';

/**
 * Versioned schema of the ClickHouse store. `MIGRATIONS[i]` takes a database from version i to i + 1;
 * the versions applied are rows of `weft_migrations`. ClickHouse has no transactions, so every
 * statement is idempotent (`IF NOT EXISTS`): servers starting at once on one database may both apply
 * a step, and a step interrupted half-way is simply applied again. Steps are append-only.
 *
 * Design (ClickHouse 18.16 and later): everything is append-only and merged at read time.
 * - `call_parts`: one row per ingested start, end or complete part, per `updateCall` (a rename row,
 *   `is_rename`), each with a `version` (version-clock.ts). A call is the GROUP BY of its rows:
 *   start fields from the start-carrying row of highest version, end fields likewise, the display
 *   name override from the latest rename row (call-merge-sql.ts). Times are Int64 microseconds.
 *   JSON values are text plus a path index (json-index.ts). ReplacingMergeTree only drops, in
 *   background merges, rows that a newer row of the same kind already overrides; reads never
 *   depend on merges having happened.
 * - `call_deletes`: tombstones; a call's rows with a version up to the tombstone's are ignored.
 * - `project_activity`: latest start or end per project, filled by a materialized view on inserts.
 * - `call_starts` (ordered by project and start time) and `call_traces` (by project and trace): narrow
 *   copies of the start-carrying rows and of the (trace_id, id) pairs of `call_parts`, filled by
 *   materialized views (and backfilled by the migration that adds them). Reads use them only to pick
 *   candidate ids, never as the truth: the candidates are merged from `call_parts` (call-latest-sql.ts).
 * - `feedback`, `objects`, `table_rows`, `table_entries`, `tables`, `files`, `api_keys`: appended rows;
 *   duplicates from races between servers are resolved at read time (earliest wins).
 */

const JSON_COLUMNS = (name: string) =>
  `${name} Nullable(String), ${name}_paths Array(String), ${name}_kinds Array(UInt8), ` +
  `${name}_num Array(Float64), ${name}_off Array(UInt32), ${name}_len Array(UInt32)`;

/** The start-carrying rows (starts, completes, v2 ends with a start time) of call_parts, for call_starts. */
const CALL_STARTS_SELECT = `SELECT project_id, assumeNotNull(started_at) AS started_at, id, has_start, trace_id,
  parent_id, op_name FROM call_parts WHERE is_rename = 0 AND isNotNull(started_at)`;

/** The (trace, call) pairs of call_parts, for call_traces. */
const CALL_TRACES_SELECT = `SELECT project_id, assumeNotNull(trace_id) AS trace_id, id FROM call_parts
  WHERE is_rename = 0 AND isNotNull(trace_id)`;

export interface Migration {
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'calls',
    statements: [
      `CREATE TABLE IF NOT EXISTS call_parts (
        project_id String,
        id String,
        version UInt64,
        has_start UInt8,
        has_end UInt8,
        is_rename UInt8,
        trace_id Nullable(String),
        parent_id Nullable(String),
        op_name Nullable(String),
        display_name Nullable(String),
        thread_id Nullable(String),
        turn_id Nullable(String),
        started_at Nullable(Int64),
        wb_user_id Nullable(String),
        wb_run_id Nullable(String),
        wb_run_step Nullable(Int64),
        ${JSON_COLUMNS('attributes')},
        ${JSON_COLUMNS('inputs')},
        ended_at Nullable(Int64),
        exception Nullable(String),
        ${JSON_COLUMNS('output')},
        ${JSON_COLUMNS('summary')},
        wb_run_step_end Nullable(Int64),
        display_name_override Nullable(String)
      ) ENGINE = ReplacingMergeTree(version) ORDER BY (project_id, id, has_start, has_end, is_rename)`,
      `CREATE TABLE IF NOT EXISTS call_deletes (
        project_id String,
        id String,
        deleted_version UInt64
      ) ENGINE = MergeTree ORDER BY (project_id, id)`,
      `CREATE TABLE IF NOT EXISTS project_activity (
        project_id String,
        last_activity_us UInt64
      ) ENGINE = ReplacingMergeTree(last_activity_us) ORDER BY project_id`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS project_activity_mv TO project_activity AS
        SELECT project_id,
          toUInt64(greatest(max(greatest(ifNull(started_at, 0), ifNull(ended_at, 0))), 0)) AS last_activity_us
        FROM call_parts WHERE has_start = 1 OR has_end = 1 GROUP BY project_id`,
    ],
  },
  {
    name: 'feedback, objects, tables, files, api keys',
    statements: [
      `CREATE TABLE IF NOT EXISTS feedback (
        project_id String,
        id String,
        weave_ref String,
        feedback_type String,
        ${JSON_COLUMNS('payload')},
        creator Nullable(String),
        wb_user_id Nullable(String),
        created_at Int64
      ) ENGINE = MergeTree ORDER BY (project_id, created_at, id)`,
      `CREATE TABLE IF NOT EXISTS objects (
        project_id String,
        object_id String,
        digest String,
        base_object_class Nullable(String),
        val String,
        created_at Int64
      ) ENGINE = MergeTree ORDER BY (project_id, object_id, digest)`,
      `CREATE TABLE IF NOT EXISTS table_rows (
        project_id String,
        digest String,
        val String
      ) ENGINE = ReplacingMergeTree ORDER BY (project_id, digest)`,
      `CREATE TABLE IF NOT EXISTS table_entries (
        project_id String,
        table_digest String,
        idx UInt32,
        row_digest String
      ) ENGINE = ReplacingMergeTree ORDER BY (project_id, table_digest, idx)`,
      `CREATE TABLE IF NOT EXISTS tables (
        project_id String,
        digest String,
        row_count UInt32
      ) ENGINE = ReplacingMergeTree ORDER BY (project_id, digest)`,
      `CREATE TABLE IF NOT EXISTS files (
        project_id String,
        digest String,
        name String,
        content_base64 String,
        created_at Int64
      ) ENGINE = MergeTree ORDER BY (project_id, digest)`,
      `CREATE TABLE IF NOT EXISTS api_keys (
        key_hash String,
        id String,
        project_id String,
        created_at Int64
      ) ENGINE = MergeTree ORDER BY key_hash`,
    ],
  },
  {
    name: 'call_starts, call_traces',
    statements: [
      `CREATE TABLE IF NOT EXISTS call_starts (
        project_id String,
        started_at Int64,
        id String,
        has_start UInt8,
        trace_id Nullable(String),
        parent_id Nullable(String),
        op_name Nullable(String)
      ) ENGINE = MergeTree ORDER BY (project_id, started_at, id)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS call_starts_mv TO call_starts AS ${CALL_STARTS_SELECT}`,
      // Backfill after the view exists, so no row is missed; rows inserted in between are copied twice,
      // which only costs a little space (call-latest-sql.ts tolerates duplicates).
      `INSERT INTO call_starts ${CALL_STARTS_SELECT}`,
      `CREATE TABLE IF NOT EXISTS call_traces (
        project_id String,
        trace_id String,
        id String
      ) ENGINE = MergeTree ORDER BY (project_id, trace_id, id)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS call_traces_mv TO call_traces AS ${CALL_TRACES_SELECT}`,
      `INSERT INTO call_traces ${CALL_TRACES_SELECT}`,
    ],
  },
];

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS weft_migrations (
  version UInt32,
  name String,
  applied_at_us Int64
) ENGINE = MergeTree ORDER BY version`;

/** The schema version recorded in the database (0 for a new one). */
export async function schemaVersion(conn: ClickHouseConnection): Promise<number> {
  await conn.exec(MIGRATIONS_TABLE, 'create weft_migrations');
  const [row] = await conn.rows<{ v: number }>(
    'SELECT max(version) AS v FROM weft_migrations',
    'read schema version',
  );
  return Number(row?.v ?? 0);
}

/** `ALTER TABLE t ADD COLUMN c ...`: ClickHouse 18.16 has no `IF NOT EXISTS` for columns. */
const ADD_COLUMN = /^\s*ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN\s/i;

/**
 * One migration statement. An added column that exists already (another process opening the same
 * database migrated it first: ClickHouse error 44) is what the step wanted, so it is not a failure.
 */
export async function runStatement(
  conn: ClickHouseConnection,
  statement: string,
  version: number,
): Promise<void> {
  try {
    await conn.exec(statement, `migration ${version}`);
  } catch (err) {
    if (ADD_COLUMN.test(statement) && /\bCode: 44\b/.test(String((err as Error).message))) return;
    throw err;
  }
}

/**
 * Brings the database to the latest schema; a no-op when it is there. Refuses (STORE_SCHEMA_TOO_NEW) a
 * database written by a newer weft.
 */
export async function applyMigrations(conn: ClickHouseConnection): Promise<{ from: number; to: number }> {
  const from = await schemaVersion(conn);
  if (from > MIGRATIONS.length) {
    throw new StoreError(
      `ClickHouse database ${conn.database} has schema version ${from}, newer than this weft knows (${MIGRATIONS.length})`,
      'STORE_SCHEMA_TOO_NEW',
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version] as Migration;
    for (const statement of step.statements) await runStatement(conn, statement, version + 1);
    await conn.exec(
      `INSERT INTO weft_migrations (version, name, applied_at_us) VALUES (${sqlNumber(version + 1)}, ${sqlString(
        step.name,
      )}, ${sqlNumber(nowMicros())})`,
      `record migration ${version + 1}`,
    );
  }
  return { from, to: MIGRATIONS.length };
}
