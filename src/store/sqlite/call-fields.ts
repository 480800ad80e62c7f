import { own } from '../../shared/own.js';
import { selectedFields as selectRecordFields, type RecordField } from '../query-operands.js';
import { CALL_RECORD_FIELDS } from '../../shared/call-types.js';
import {
  CALL_FIELDS,
  JSON_FIELDS,
  type CallFieldName,
  type CallFieldSpec,
} from '../../shared/call-field-table.js';
import type { CallRecord, CallStatus } from '../../shared/call-types.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import { recordBuilder } from '../record-builder.js';
import { previewChars } from '../../shared/api-types.js';
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

const RECORD_SPECS: readonly CallFieldSpec[] = CALL_FIELDS.filter((f) => f.record);

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

const JSON_COLUMNS: ReadonlySet<string> = new Set(JSON_FIELDS);

/** Fields whose SQL is not their column: the derived ones and the effective display name. */
const COMPUTED: Partial<Record<CallFieldName, string>> = {
  display_name: DISPLAY_NAME_SQL,
  status: STATUS_SQL,
  latency_ms: LATENCY_SQL,
};

/** The SQL of a field's value: computed, or its column (a time's `_us` integer; JSON as parsed). */
function fieldSql(f: CallFieldSpec): string {
  const computed = own(COMPUTED, f.name);
  if (computed !== undefined) return computed;
  if (f.kind === 'time') return `${f.name}_us`;
  return f.kind === 'json' ? `json_extract(${f.name}, '$')` : f.name;
}

const TOP_LEVEL: Record<string, { sql: string; kind: FieldKind }> = Object.fromEntries(
  CALL_FIELDS.map((f) => [f.name, { sql: fieldSql(f), kind: f.kind }]),
);

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

/** SELECT expression for a record field (aliased to the field name): JSON columns as stored text. */
function selectSql(f: CallFieldSpec): string {
  if (own(COMPUTED, f.name) === undefined && f.kind !== 'time') return f.name;
  return `${f.kind === 'json' ? f.name : fieldSql(f)} AS ${f.name}`;
}

const SELECT_SQL = Object.fromEntries(RECORD_SPECS.map((f) => [f.name, selectSql(f)])) as Record<
  RecordField,
  string
>;

/** The record fields to read for a `columns` list (see query-operands.ts). */
export function selectedFields(columns: string[] | undefined, where = 'columns'): RecordField[] {
  return selectRecordFields(columns, (head) => Object.hasOwn(TOP_LEVEL, head), where);
}

/**
 * The SELECT list for these record fields, for a statement in raw (array) mode: always every record
 * field at its fixed position (see {@link rowToCall}), `NULL` for the fields not selected.
 */
export function selectList(fields: readonly RecordField[], truncateOver?: number): string {
  const wanted = new Set(fields);
  return CALL_RECORD_FIELDS.map((f) => {
    if (!wanted.has(f)) return `NULL AS ${f}`;
    return truncateOver !== undefined && JSON_COLUMNS.has(f)
      ? `${truncatedJson(f, truncateOver)} AS ${f}`
      : SELECT_SQL[f];
  }).join(', ');
}

/** A row selected (raw mode) with {@link selectList} as a CallRecord; fields not selected are null. */
export const rowToCall: (row: unknown[]) => CallRecord = recordBuilder('array', {
  text: (v) => v,
  number: (v) => v,
  time: (v) => (typeof v === 'number' ? microsToIso(v) : null),
  json: (v) => (typeof v === 'string' ? JSON.parse(v) : null),
});

/**
 * Each record field as SQL giving its JSON text: strings through `json_quote` (the same text as
 * JSON.stringify for stored strings), stored JSON columns spliced in as they are (never parsed to be
 * stringified again), times formatted like `microsToIso` (floor division, so times before 1970 too).
 */
const JSON_SQL = Object.fromEntries(RECORD_SPECS.map((f) => [f.name, jsonSql(f)])) as Record<
  RecordField,
  string
>;

function jsonSql(f: CallFieldSpec): string {
  if (f.name === 'status') {
    return (
      `(CASE WHEN has_start = 0 THEN '"missing_start"' WHEN has_end = 0 THEN '"running"' ` +
      `WHEN exception IS NOT NULL THEN '"error"' ELSE '"success"' END)`
    );
  }
  if (f.kind === 'time') return timeJson(f.name);
  if (f.kind === 'json') return `coalesce(${f.name}, 'null')`;
  return f.kind === 'text' ? `json_quote(${fieldSql(f)})` : `coalesce(${fieldSql(f)}, 'null')`;
}

/**
 * A JSON column as JSON text, or, when its text is longer than `over` bytes, the `TruncatedValue`
 * marker (src/shared/api-types.ts) with its size and first characters: built by SQLite, so a large
 * value is never copied out of the database, and never even loaded: `octet_length` reads the record
 * header only and the preview is cut from the value's stored head (value-head.ts) when it has one. `over` is a validated integer, written as a literal.
 */
function truncatedJson(column: string, over: number): string {
  const size = `octet_length(${column})`;
  return (
    `(CASE WHEN ${size} > ${over} THEN json_object('_weft_truncated', json('true'), 'bytes', ${size}, ` +
    `'preview', substr(coalesce(${column}_head, ${column}), 1, ${previewChars(over)})) ` +
    `ELSE coalesce(${column}, 'null') END)`
  );
}

/**
 * A time as JSON: its ISO text stored at ingest, quoted (ISO text needs no escaping), or for rows
 * written before that column existed, formatted from the microseconds.
 */
function timeJson(field: string): string {
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
export function jsonLineSelect(fields: readonly RecordField[], truncateOver?: number): string {
  const wanted = new Set(fields);
  const args: string[] = [];
  const format = CALL_RECORD_FIELDS.map((f, i) => {
    const key = `${i === 0 ? '{' : ','}"${f}":`;
    if (!wanted.has(f)) return `${key}null`;
    args.push(
      truncateOver !== undefined && JSON_COLUMNS.has(f) ? truncatedJson(f, truncateOver) : JSON_SQL[f],
    );
    return `${key}%s`;
  });
  return `printf('${format.join('')}}', ${args.join(', ')}) AS line`;
}
