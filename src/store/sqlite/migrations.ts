import type { Database } from 'better-sqlite3';
import { StoreError } from '../../shared/errors.js';
import { MIGRATION_7 } from './migration-7.js';
import { HEAD_CHARS, HEAD_OVER } from './value-head.js';

/** SQL for the head of a JSON column, as {@link headOf} computes it at ingest. */
const head = (column: string) =>
  `CASE WHEN length(${column}) > ${HEAD_OVER} THEN substr(${column}, 1, ${HEAD_CHARS}) END`;

/** The indexes of `calls` (created by migration 3, again by 6 after its rebuild). */
const CALLS_INDEXES = `
  -- Latest root calls of a project.
  CREATE INDEX calls_roots ON calls (project_id, started_at_us) WHERE parent_id IS NULL;
  -- All calls of one trace, in start order.
  CREATE INDEX calls_trace ON calls (project_id, trace_id, started_at_us);
  -- Children of a call (delete cascade, parent_ids filter).
  CREATE INDEX calls_parent ON calls (project_id, parent_id) WHERE parent_id IS NOT NULL;
  -- Calls of one op in a time range.
  CREATE INDEX calls_op ON calls (project_id, op_name, started_at_us);
  -- Failed calls of one op in a time range (small: errors are rare). The compiled form of
  -- status = 'error' contains "exception IS NOT NULL", which lets the planner use this partial index.
  CREATE INDEX calls_errors ON calls (project_id, op_name, started_at_us) WHERE exception IS NOT NULL;
  -- Default sort of a whole project.
  CREATE INDEX calls_started ON calls (project_id, started_at_us);
`;

/** Fixed planner statistics of the calls indexes (migration 4, again after 6's rebuild): see 4. */
const CALLS_STATS = `
  ANALYZE sqlite_schema;
  DELETE FROM sqlite_stat1 WHERE tbl = 'calls';
  INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('calls', 'calls', '1000000 100000 1'),
    ('calls', 'calls_roots', '100000 10000 1 1'),
    ('calls', 'calls_trace', '1000000 100000 10 1 1'),
    ('calls', 'calls_parent', '900000 90000 5 1'),
    ('calls', 'calls_op', '1000000 100000 5000 1 1'),
    ('calls', 'calls_errors', '50000 5000 250 1 1'),
    ('calls', 'calls_started', '1000000 100000 1 1');
  ANALYZE sqlite_schema;
`;

/**
 * Versioned schema of the SQLite store. `MIGRATIONS[i]` moves a database from `PRAGMA user_version = i`
 * to `i + 1`; each step runs in its own transaction at open. Steps are append-only: never edit a step
 * that has shipped, add a new one.
 *
 * Calls: times are integer microseconds since the epoch (`started_at_us`, `ended_at_us`), JSON columns
 * are TEXT. `has_start` / `has_end` record which halves arrived. `display_name_override` is written only
 * by `updateCall`: NULL = no override (the start's `display_name` shows), `''` = name removed (reads
 * give null), anything else replaces the start's name, whatever start is re-sent later.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls and their indexes.
  `
  CREATE TABLE calls (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    trace_id TEXT,
    parent_id TEXT,
    op_name TEXT,
    display_name TEXT,
    display_name_override TEXT,
    thread_id TEXT,
    turn_id TEXT,
    started_at_us INTEGER,
    ended_at_us INTEGER,
    attributes TEXT,
    inputs TEXT,
    output TEXT,
    exception TEXT,
    summary TEXT,
    wb_user_id TEXT,
    wb_run_id TEXT,
    wb_run_step INTEGER,
    wb_run_step_end INTEGER,
    has_start INTEGER NOT NULL DEFAULT 0 CHECK (has_start IN (0, 1)),
    has_end INTEGER NOT NULL DEFAULT 0 CHECK (has_end IN (0, 1)),
    PRIMARY KEY (project_id, id)
  );
  -- Latest root calls of a project.
  CREATE INDEX calls_roots ON calls (project_id, started_at_us, id) WHERE parent_id IS NULL;
  -- All calls of one trace, in start order.
  CREATE INDEX calls_trace ON calls (project_id, trace_id, started_at_us);
  -- Children of a call (delete cascade, parent_ids filter).
  CREATE INDEX calls_parent ON calls (project_id, parent_id);
  -- Calls of one op in a time range.
  CREATE INDEX calls_op ON calls (project_id, op_name, started_at_us);
  -- Failed calls (small: errors are rare); matches the compiled form of status = 'error'.
  CREATE INDEX calls_errors ON calls (project_id, op_name, started_at_us) WHERE exception IS NOT NULL;
  -- Default sort of a whole project.
  CREATE INDEX calls_started ON calls (project_id, started_at_us, id);
  -- Last activity per project, maintained by ingest.
  CREATE TABLE projects (
    project_id TEXT PRIMARY KEY,
    last_activity_us INTEGER
  );
  `,
  // 2: feedback, objects, tables, files, API keys.
  `
  CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    weave_ref TEXT NOT NULL,
    feedback_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    creator TEXT,
    wb_user_id TEXT,
    created_at_us INTEGER NOT NULL
  );
  CREATE INDEX feedback_project ON feedback (project_id, created_at_us);
  CREATE INDEX feedback_ref ON feedback (project_id, weave_ref);
  CREATE TABLE objects (
    project_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    version_index INTEGER NOT NULL,
    base_object_class TEXT,
    val TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    PRIMARY KEY (project_id, object_id, digest),
    UNIQUE (project_id, object_id, version_index)
  );
  CREATE TABLE table_rows (
    project_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    val TEXT NOT NULL,
    PRIMARY KEY (project_id, digest)
  ) WITHOUT ROWID;
  CREATE TABLE tables (
    project_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    PRIMARY KEY (project_id, digest)
  ) WITHOUT ROWID;
  CREATE TABLE table_entries (
    project_id TEXT NOT NULL,
    table_digest TEXT NOT NULL,
    idx INTEGER NOT NULL,
    row_digest TEXT NOT NULL,
    PRIMARY KEY (project_id, table_digest, idx)
  ) WITHOUT ROWID;
  CREATE TABLE files (
    project_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (project_id, digest)
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at_us INTEGER NOT NULL
  );
  `,
  // 3: calls clustered on (project_id, id) (WITHOUT ROWID): every index then ends with id, so
  // "ORDER BY started_at_us, id" reads index order with no sort, and the separate primary-key index of
  // a rowid table is gone (one b-tree less per insert). calls_parent becomes partial (never chosen for
  // "parent_id IS NULL", which calls_roots serves). Data is copied over.
  `
  CREATE TABLE calls_v3 (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    trace_id TEXT,
    parent_id TEXT,
    op_name TEXT,
    display_name TEXT,
    display_name_override TEXT,
    thread_id TEXT,
    turn_id TEXT,
    started_at_us INTEGER,
    ended_at_us INTEGER,
    attributes TEXT,
    inputs TEXT,
    output TEXT,
    exception TEXT,
    summary TEXT,
    wb_user_id TEXT,
    wb_run_id TEXT,
    wb_run_step INTEGER,
    wb_run_step_end INTEGER,
    has_start INTEGER NOT NULL DEFAULT 0 CHECK (has_start IN (0, 1)),
    has_end INTEGER NOT NULL DEFAULT 0 CHECK (has_end IN (0, 1)),
    PRIMARY KEY (project_id, id)
  ) WITHOUT ROWID;
  INSERT INTO calls_v3 SELECT project_id, id, trace_id, parent_id, op_name, display_name,
    display_name_override, thread_id, turn_id, started_at_us, ended_at_us, attributes, inputs, output,
    exception, summary, wb_user_id, wb_run_id, wb_run_step, wb_run_step_end, has_start, has_end FROM calls;
  DROP TABLE calls;
  ALTER TABLE calls_v3 RENAME TO calls;
${CALLS_INDEXES}  `,
  // 4: fixed planner statistics for the calls indexes, describing a large store (1M calls, 100k per
  // project, 10 calls per trace, 5 children per parent, 20 ops, 5 % errors). Plans then do not depend
  // on how much data the store held when it was last analysed: the store never runs ANALYZE or
  // PRAGMA optimize (which would overwrite these). A migration that changes the indexes updates them.
  `
${CALLS_STATS}  `,
  // 5: each call's start and end times also as the ISO text the API returns, written at ingest (the
  // same text as formatting the microseconds), so that a stream renders a time by quoting it: formatting
  // the two times per row was a quarter of a large trace's SQL time. Rows written before stay NULL
  // there and are formatted at read time, as before.
  `
  ALTER TABLE calls ADD COLUMN started_at_iso TEXT;
  ALTER TABLE calls ADD COLUMN ended_at_iso TEXT;
  `,
  // 6: the calls table rebuilt with its large columns last (the JSON values, inputs the very last) and
  // a `<field>_head` per JSON field: the first 1 000 characters of a value longer than HEAD_OVER
  // characters (NULL otherwise). A row's values are stored in column order and a large one spills into
  // a chain of overflow pages, which SQLite walks to reach any column stored after it: with inputs in
  // the middle, each small column of a 30 MiB call cost a walk of its 7 500 pages (~40 ms a row on the
  // calls page). Now the small columns come first, the page's size test (`octet_length`) reads only
  // the record header and its preview reads the head: a capped page never loads a large value. Columns
  // added later by ALTER go after inputs: keep such columns few, or rebuild again. Data is copied over
  // (the heads of rows written before are cut here, as value-head.ts does at ingest).
  `
  CREATE TABLE calls_v6 (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    trace_id TEXT,
    parent_id TEXT,
    op_name TEXT,
    display_name TEXT,
    display_name_override TEXT,
    thread_id TEXT,
    turn_id TEXT,
    started_at_us INTEGER,
    ended_at_us INTEGER,
    started_at_iso TEXT,
    ended_at_iso TEXT,
    wb_user_id TEXT,
    wb_run_id TEXT,
    wb_run_step INTEGER,
    wb_run_step_end INTEGER,
    has_start INTEGER NOT NULL DEFAULT 0 CHECK (has_start IN (0, 1)),
    has_end INTEGER NOT NULL DEFAULT 0 CHECK (has_end IN (0, 1)),
    attributes_head TEXT,
    summary_head TEXT,
    output_head TEXT,
    inputs_head TEXT,
    exception TEXT,
    attributes TEXT,
    summary TEXT,
    output TEXT,
    inputs TEXT,
    PRIMARY KEY (project_id, id)
  ) WITHOUT ROWID;
  INSERT INTO calls_v6 (project_id, id, trace_id, parent_id, op_name, display_name,
    display_name_override, thread_id, turn_id, started_at_us, ended_at_us, started_at_iso, ended_at_iso,
    wb_user_id, wb_run_id, wb_run_step, wb_run_step_end, has_start, has_end, attributes_head,
    summary_head, output_head, inputs_head, exception, attributes, summary, output, inputs)
  SELECT project_id, id, trace_id, parent_id, op_name, display_name, display_name_override, thread_id,
    turn_id, started_at_us, ended_at_us, started_at_iso, ended_at_iso, wb_user_id, wb_run_id,
    wb_run_step, wb_run_step_end, has_start, has_end, ${head('attributes')}, ${head('summary')},
    ${head('output')}, ${head('inputs')}, exception, attributes, summary, output, inputs
  FROM calls;
  DROP TABLE calls;
  ALTER TABLE calls_v6 RENAME TO calls;
${CALLS_INDEXES}${CALLS_STATS}  `,
  // 7: calls as a rowid table with a unique (project_id, id) index (migration-7.ts).
  MIGRATION_7,
];

/**
 * Brings `db` to the latest schema version; a no-op when it is already there. Refuses a database
 * written by a newer weft (user_version beyond the known steps).
 */
export function applyMigrations(db: Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new StoreError(
      `database schema version ${from} is newer than this weft knows (${MIGRATIONS.length})`,
      'STORE_SCHEMA_TOO_NEW',
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return { from, to: MIGRATIONS.length };
}
