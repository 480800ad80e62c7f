import { own } from '../../shared/own.js';
import { selectedFields as selectRecordFields, type RecordField } from '../query-operands.js';
import { CALL_RECORD_FIELDS } from '../../shared/call-types.js';
import type { CallRecord, CallStatus } from '../../shared/call-types.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import type { SqlFragment } from './sql-fragment.js';
import { toJsonPath } from './sql-fragment.js';
import type { FieldKind, FieldResolver, ResolvedField } from './sqlite-query.js';

/**
 * The fields of a call as seen by queries (`$getField`, `sort_by`, `columns`) and how a `calls` row
 * becomes a {@link CallRecord}.
 *
 * - Top-level fields: the CallRecord fields plus `wb_run_step`, `wb_run_step_end` and the derived
 *   `status` and `latency_ms` (`ended_at - started_at` in milliseconds, NULL while either is missing).
 * - `status`, in this order: `missing_start` (no start arrived), `running` (no end), `error`
 *   (exception not null), `success`. `status = X` compiles to the equivalent column tests.
 * - `display_name` is the effective name: the `updateCall` override when there is one (`''` = none),
 *   else the start's name.
 * - Dotted paths read into `inputs`, `output`, `attributes`, `summary`. `summary.weave.status` and
 *   `summary.weave.latency_ms` are aliases of the derived fields (the names Weave's UI uses).
 * - `columns`: `id`, `project_id`, `status` are always returned; other record fields not listed are
 *   returned as null (a dotted entry selects its top-level field).
 */

/** SQL for the derived status; the order of the tests defines precedence. */
export const STATUS_SQL =
  "(CASE WHEN has_start = 0 THEN 'missing_start' WHEN has_end = 0 THEN 'running' " +
  "WHEN exception IS NOT NULL THEN 'error' ELSE 'success' END)";

const LATENCY_SQL = '((ended_at_us - started_at_us) / 1000.0)';

const DISPLAY_NAME_SQL =
  "(CASE WHEN display_name_override IS NULL THEN display_name ELSE NULLIF(display_name_override, '') END)";

/** Column tests equivalent to `status = X`, so that indexes (e.g. on failed calls) apply. */
const STATUS_PREDICATES: Record<CallStatus, string> = {
  missing_start: '(has_start = 0)',
  running: '(has_start = 1 AND has_end = 0)',
  error: '(has_start = 1 AND has_end = 1 AND exception IS NOT NULL)',
  success: '(has_start = 1 AND has_end = 1 AND exception IS NULL)',
};

const JSON_COLUMNS = new Set(['attributes', 'inputs', 'output', 'summary']);

const TOP_LEVEL: Record<string, { sql: string; kind: FieldKind }> = {
  id: { sql: 'id', kind: 'text' },
  project_id: { sql: 'project_id', kind: 'text' },
  trace_id: { sql: 'trace_id', kind: 'text' },
  parent_id: { sql: 'parent_id', kind: 'text' },
  op_name: { sql: 'op_name', kind: 'text' },
  display_name: { sql: DISPLAY_NAME_SQL, kind: 'text' },
  thread_id: { sql: 'thread_id', kind: 'text' },
  turn_id: { sql: 'turn_id', kind: 'text' },
  started_at: { sql: 'started_at_us', kind: 'time' },
  ended_at: { sql: 'ended_at_us', kind: 'time' },
  exception: { sql: 'exception', kind: 'text' },
  wb_user_id: { sql: 'wb_user_id', kind: 'text' },
  wb_run_id: { sql: 'wb_run_id', kind: 'text' },
  wb_run_step: { sql: 'wb_run_step', kind: 'number' },
  wb_run_step_end: { sql: 'wb_run_step_end', kind: 'number' },
  status: { sql: STATUS_SQL, kind: 'text' },
  latency_ms: { sql: LATENCY_SQL, kind: 'number' },
  attributes: { sql: "json_extract(attributes, '$')", kind: 'json' },
  inputs: { sql: "json_extract(inputs, '$')", kind: 'json' },
  output: { sql: "json_extract(output, '$')", kind: 'json' },
  summary: { sql: "json_extract(summary, '$')", kind: 'json' },
};

const ALIASES: Record<string, string> = {
  'summary.weave.status': 'status',
  'summary.weave.latency_ms': 'latency_ms',
};

function statusEquals(value: unknown): SqlFragment | undefined {
  if (typeof value !== 'string') return { sql: '0', params: [] };
  return { sql: STATUS_PREDICATES[value as CallStatus] ?? '0', params: [] };
}

/** Resolves a call field for `$getField` and `sort_by`. */
export const resolveCallField: FieldResolver = (field, where): ResolvedField => {
  const name = own(ALIASES, field) ?? field;
  const top = own(TOP_LEVEL, name);
  if (top) {
    return name === 'status'
      ? { sql: top.sql, params: [], kind: top.kind, equals: statusEquals }
      : { sql: top.sql, params: [], kind: top.kind };
  }
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  if (dot < 0 || !Object.hasOwn(TOP_LEVEL, head))
    throw new ValidationError(where, `unknown call field "${field}"`);
  if (!JSON_COLUMNS.has(head)) {
    throw new ValidationError(where, `"${head}" is not a JSON field: no dotted path into it ("${field}")`);
  }
  const path = toJsonPath(name.slice(dot + 1).split('.'), where);
  return { sql: `json_extract(${head}, ?)`, params: [path], kind: 'json' };
};

/** SELECT expression for each record field (aliased to the field name). */
const SELECT_SQL: Record<RecordField, string> = {
  project_id: 'project_id',
  id: 'id',
  trace_id: 'trace_id',
  parent_id: 'parent_id',
  op_name: 'op_name',
  display_name: `${DISPLAY_NAME_SQL} AS display_name`,
  thread_id: 'thread_id',
  turn_id: 'turn_id',
  started_at: 'started_at_us AS started_at',
  ended_at: 'ended_at_us AS ended_at',
  attributes: 'attributes',
  inputs: 'inputs',
  output: 'output',
  exception: 'exception',
  summary: 'summary',
  wb_user_id: 'wb_user_id',
  wb_run_id: 'wb_run_id',
  status: `${STATUS_SQL} AS status`,
};

/** The record fields to read for a `columns` list (see query-operands.ts). */
export function selectedFields(columns: string[] | undefined, where = 'columns'): RecordField[] {
  return selectRecordFields(columns, (head) => Object.hasOwn(TOP_LEVEL, head), where);
}

/**
 * The SELECT list for these record fields, for a statement in raw (array) mode: always every record
 * field at its fixed position (see {@link rowToCall}), `NULL` for the fields not selected.
 */
export function selectList(fields: readonly RecordField[]): string {
  const wanted = new Set(fields);
  return CALL_RECORD_FIELDS.map((f) => (wanted.has(f) ? SELECT_SQL[f] : `NULL AS ${f}`)).join(', ');
}

/** A row selected (raw mode) with {@link selectList} as a CallRecord; fields not selected are null. */
export function rowToCall(row: unknown[]): CallRecord {
  return {
    project_id: row[0] as string,
    id: row[1] as string,
    trace_id: row[2] as string | null,
    parent_id: row[3] as string | null,
    op_name: row[4] as string | null,
    display_name: row[5] as string | null,
    thread_id: row[6] as string | null,
    turn_id: row[7] as string | null,
    started_at: typeof row[8] === 'number' ? microsToIso(row[8]) : null,
    ended_at: typeof row[9] === 'number' ? microsToIso(row[9]) : null,
    attributes: parseJson(row[10]) as CallRecord['attributes'],
    inputs: parseJson(row[11]) as CallRecord['inputs'],
    output: parseJson(row[12]),
    exception: row[13] as string | null,
    summary: parseJson(row[14]) as CallRecord['summary'],
    wb_user_id: row[15] as string | null,
    wb_run_id: row[16] as string | null,
    status: row[17] as CallStatus,
  };
}

/**
 * Each record field as SQL giving its JSON text: strings through `json_quote` (the same text as
 * JSON.stringify for stored strings), stored JSON columns spliced in as they are (never parsed to be
 * stringified again), times formatted like `microsToIso` (floor division, so times before 1970 too).
 */
const JSON_SQL: Record<RecordField, string> = {
  project_id: 'json_quote(project_id)',
  id: 'json_quote(id)',
  trace_id: 'json_quote(trace_id)',
  parent_id: 'json_quote(parent_id)',
  op_name: 'json_quote(op_name)',
  display_name: `json_quote(${DISPLAY_NAME_SQL})`,
  thread_id: 'json_quote(thread_id)',
  turn_id: 'json_quote(turn_id)',
  started_at: timeJson('started_at'),
  ended_at: timeJson('ended_at'),
  attributes: "coalesce(attributes, 'null')",
  inputs: "coalesce(inputs, 'null')",
  output: "coalesce(output, 'null')",
  exception: 'json_quote(exception)',
  summary: "coalesce(summary, 'null')",
  wb_user_id: 'json_quote(wb_user_id)',
  wb_run_id: 'json_quote(wb_run_id)',
  status:
    `(CASE WHEN has_start = 0 THEN '"missing_start"' WHEN has_end = 0 THEN '"running"' ` +
    `WHEN exception IS NOT NULL THEN '"error"' ELSE '"success"' END)`,
};

/**
 * A time as JSON: its ISO text stored at ingest, quoted (ISO text needs no escaping), or for rows
 * written before that column existed, formatted from the microseconds.
 */
function timeJson(field: 'started_at' | 'ended_at'): string {
  return `coalesce('"' || ${field}_iso || '"', ${isoJson(`${field}_us`)})`;
}

/**
 * Integer microseconds as a quoted `2026-11-28T07:10:05.123456Z`, or `null`. `date()` + `time()` cost
 * less than half of `strftime()`, the largest single cost of a trace stream (~25 % of its SQL time).
 */
function isoJson(column: string): string {
  const frac = `((${column} % 1000000 + 1000000) % 1000000)`;
  const seconds = `((${column} - ${frac}) / 1000000)`;
  return (
    `CASE WHEN ${column} IS NULL THEN 'null' ELSE printf('"%sT%s.%06dZ"', ` +
    `date(${seconds}, 'unixepoch'), time(${seconds}, 'unixepoch'), ${frac}) END`
  );
}

/**
 * One SQL expression giving each row as the JSON text of {@link rowToCall}'s record, built by SQLite
 * itself in one `printf` whose format holds the field names (cheaper than a chain of ~40 `||`, which
 * copies the growing text at each step). Fields not selected are `null`. The NDJSON stream of a large
 * trace spends most of its time here: ~3 µs per row, against ~0.6 µs to find and read the row.
 */
export function jsonLineSelect(fields: readonly RecordField[]): string {
  const wanted = new Set(fields);
  const args: string[] = [];
  const format = CALL_RECORD_FIELDS.map((f, i) => {
    const key = `${i === 0 ? '{' : ','}"${f}":`;
    if (!wanted.has(f)) return `${key}null`;
    args.push(JSON_SQL[f]);
    return `${key}%s`;
  });
  return `printf('${format.join('')}}', ${args.join(', ')}) AS line`;
}

function parseJson(text: unknown): unknown {
  return typeof text === 'string' ? JSON.parse(text) : null;
}
