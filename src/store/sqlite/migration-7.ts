/**
 * Migration 7: `calls` as a rowid table again, its key (project_id, id) a unique index, every other
 * index ending with `id` as it did implicitly (so "ORDER BY started_at_us, id" still reads index order).
 *
 * Why: migration 3 clustered calls on (project_id, id) (WITHOUT ROWID). A WITHOUT ROWID row is a key
 * of its b-tree, so a large call's whole record is its key: SQLite made one more copy of a 30 MiB value
 * to insert it (3 copies against 2, measured on a bare INSERT) and loaded a row's whole overflowing
 * cell to compare keys while seeking, ~25 ms a row for the calls page over 30 MiB calls (now a few ms
 * for the whole page). The cost is the key's own b-tree on each insert, which clustering had saved.
 * Columns, order and data are those of migration 6.
 */
const COLUMNS = `project_id, id, trace_id, parent_id, op_name, display_name, display_name_override,
    thread_id, turn_id, started_at_us, ended_at_us, started_at_iso, ended_at_iso, wb_user_id, wb_run_id,
    wb_run_step, wb_run_step_end, has_start, has_end, attributes_head, summary_head, output_head,
    inputs_head, exception, attributes, summary, output, inputs`;

export const MIGRATION_7 = `
  CREATE TABLE calls_v7 (
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
    inputs TEXT
  );
  INSERT INTO calls_v7 (${COLUMNS}) SELECT ${COLUMNS} FROM calls ORDER BY project_id, started_at_us;
  DROP TABLE calls;
  ALTER TABLE calls_v7 RENAME TO calls;
  CREATE UNIQUE INDEX calls_key ON calls (project_id, id);
  CREATE INDEX calls_roots ON calls (project_id, started_at_us, id) WHERE parent_id IS NULL;
  CREATE INDEX calls_trace ON calls (project_id, trace_id, started_at_us, id);
  CREATE INDEX calls_parent ON calls (project_id, parent_id, id) WHERE parent_id IS NOT NULL;
  CREATE INDEX calls_op ON calls (project_id, op_name, started_at_us, id);
  CREATE INDEX calls_errors ON calls (project_id, op_name, started_at_us, id) WHERE exception IS NOT NULL;
  CREATE INDEX calls_started ON calls (project_id, started_at_us, id);
  ANALYZE sqlite_schema;
  DELETE FROM sqlite_stat1 WHERE tbl = 'calls';
  INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('calls', 'calls_key', '1000000 100000 1'),
    ('calls', 'calls_roots', '100000 10000 1 1'),
    ('calls', 'calls_trace', '1000000 100000 10 1 1'),
    ('calls', 'calls_parent', '900000 90000 5 1'),
    ('calls', 'calls_op', '1000000 100000 5000 1 1'),
    ('calls', 'calls_errors', '50000 5000 250 1 1'),
    ('calls', 'calls_started', '1000000 100000 1 1');
  ANALYZE sqlite_schema;
`;
