import { own } from '../../shared/own.js';
export type { RecordField } from '../query-operands.js';
import { selectedFields as selectRecordFields, type RecordField } from '../query-operands.js';
import type { CallRecord, CallStatus } from '../../shared/call-types.js';
import {
  CALL_FIELDS,
  END_FIELDS,
  JSON_FIELDS,
  START_FIELDS,
  type CallFieldSpec,
  type HalfFieldName,
} from '../../shared/call-field-table.js';
import { ValidationError, describeValue } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import type { Row } from './clickhouse-connection.js';
import { recordBuilder } from '../record-builder.js';
import type { FieldKind, FieldResolver, ResolvedField } from './expr-compiler.js';
import type { Typed } from './typed-sql.js';
import { jsonNode } from './typed-sql.js';

/**
 * The fields of a call as queries see them (`$getField`, `sort_by`, `columns`), with the SQLite store's
 * semantics (call-fields.ts there): the CallRecord fields plus `wb_run_step`, `wb_run_step_end`, the
 * derived `status` (`missing_start`, `running`, `error`, `success`, compared as text) and `latency_ms`
 * (`ended_at - started_at` in ms, NULL while either is missing); `display_name` is the effective name;
 * dotted paths read into `inputs`, `output`, `attributes`, `summary` (a digit segment indexes an array;
 * a missing path is NULL); `summary.weave.status` / `summary.weave.latency_ms` alias the derived fields.
 *
 * A resolver works in one of two modes. `merged`: over the columns of a merged call (call-merge-sql.ts).
 * `row`: over raw `call_parts` rows, to pre-select candidate calls (call-query-sql.ts); there a field
 * belongs to the start half, the end half or `any` (id, project_id), and the fields a single row cannot
 * decide (display_name, latency_ms, status other than `status = X`) give {@link NOT_PUSHABLE} SQL.
 */

/** `mixed`: a field that needs the merged call (display_name, latency_ms, status other than `= X`). */
export type Half = 'start' | 'end' | 'any' | 'mixed';

/**
 * What a row-mode resolver gives for a field that needs the merged call: SQL containing this marker
 * is not used for pre-selection. (A literal that happens to contain the marker only disables it.)
 */
export const NOT_PUSHABLE = '__weft_needs_merged_call__';
const UNPUSHABLE: Typed = { t: 'str', sql: NOT_PUSHABLE, affinity: 'none' };

/** Merged columns a query can need (call-merge-sql.ts builds exactly these): the halves' fields. */
export type MergedColumn = HalfFieldName;

export const START_COLUMNS: readonly MergedColumn[] = START_FIELDS.map((f) => f.name);
export const END_COLUMNS: readonly MergedColumn[] = END_FIELDS.map((f) => f.name);
export const JSON_COLUMNS: ReadonlySet<MergedColumn> = new Set(JSON_FIELDS);

/** SQL of the derived status over has_start / has_end / exception; compared and sorted as text. */
export const STATUS_SQL =
  "multiIf(has_start = 0, 'missing_start', has_end = 0, 'running', isNotNull(exception), 'error', 'success')";

const LATENCY_SQL = '((ended_at - started_at) / 1000)';

/** `status = X` as column tests, merged and per row (a superset per row: see call-query-sql.ts). */
const STATUS_MERGED: Record<CallStatus, string> = {
  missing_start: '(has_start = 0)',
  running: '(has_start = 1 AND has_end = 0)',
  error: '(has_start = 1 AND has_end = 1 AND isNotNull(exception))',
  success: '(has_start = 1 AND has_end = 1 AND isNull(exception))',
};
const STATUS_ROW: Record<CallStatus, { sql: string; half: Half }> = {
  missing_start: { sql: '(has_start = 0)', half: 'any' },
  running: { sql: '(has_start = 1)', half: 'start' },
  error: { sql: '(has_end = 1 AND isNotNull(exception))', half: 'end' },
  success: { sql: '(has_end = 1 AND isNull(exception))', half: 'end' },
};

type TopLevel = { column?: MergedColumn; half: Half; kind: FieldKind; typed: Typed };

const text = (sql: string): Typed => ({ t: 'str', sql, affinity: 'text' });
const numeric = (sql: string): Typed => ({ t: 'num', sql, affinity: 'numeric' });

function topLevel(f: CallFieldSpec): TopLevel {
  const column = f.name as MergedColumn | 'id' | 'project_id';
  const kind = f.kind;
  const half: Half = f.half === 'key' ? 'any' : f.half === 'start' ? 'start' : 'end';
  const typed =
    kind === 'text'
      ? text(column)
      : kind === 'json'
        ? { t: 'json' as const, node: jsonNode(column, '') }
        : numeric(column);
  return { ...(f.half === 'key' ? {} : { column: column as MergedColumn }), half, kind, typed };
}

const TOP_LEVEL: Record<string, TopLevel> = Object.fromEntries(
  CALL_FIELDS.filter((f) => f.half !== 'derived').map((f) => [f.name, topLevel(f)]),
);
const DERIVED: ReadonlySet<string> = new Set(
  CALL_FIELDS.filter((f) => f.half === 'derived').map((f) => f.name),
);

const ALIASES: Record<string, string> = {
  'summary.weave.status': 'status',
  'summary.weave.latency_ms': 'latency_ms',
};

/** What a resolver saw: the merged columns it needs and the halves of the row-mode fields. */
export interface FieldUse {
  columns: Set<MergedColumn>;
  halves: Set<Half>;
}

export function newFieldUse(): FieldUse {
  return { columns: new Set(), halves: new Set() };
}

/** A dotted path after a JSON column, validated like the SQLite store's (json-index.ts encoding). */
export function jsonPath(segments: string[], where: string): string {
  return segments
    .map((segment) => {
      if (segment === '' || /["\\]/.test(segment) || [...segment].some((ch) => ch.charCodeAt(0) < 0x20)) {
        throw new ValidationError(where, `invalid path segment ${describeValue(segment)}`);
      }
      return /^\d+$/.test(segment) ? segment.replace(/^0+(?=\d)/, '') : segment;
    })
    .join('.');
}

/** A resolver over merged calls (`merged`) or raw rows (`row`), recording what it uses in `use`. */
export function callFieldResolver(mode: 'merged' | 'row', use: FieldUse): FieldResolver {
  const need = (...columns: MergedColumn[]) => columns.forEach((c) => use.columns.add(c));
  const resolver: FieldResolver = (field, where): ResolvedField => {
    const name = own(ALIASES, field) ?? field;
    if (DERIVED.has(name)) {
      need('started_at', 'ended_at', 'exception');
      if (name === 'latency_ms') {
        if (mode === 'row') use.halves.add('mixed');
        const value: Typed = mode === 'row' ? UNPUSHABLE : { t: 'num', sql: LATENCY_SQL, affinity: 'none' };
        return { value, kind: 'number' };
      }
      const equals = (value: unknown): string | undefined => {
        if (typeof value !== 'string' || !(value in STATUS_MERGED)) return '0';
        if (mode === 'merged') return STATUS_MERGED[value as CallStatus];
        const row = STATUS_ROW[value as CallStatus];
        use.halves.add(row.half);
        return row.sql;
      };
      if (mode === 'merged')
        return { value: { t: 'str', sql: STATUS_SQL, affinity: 'none' }, kind: 'text', equals };
      // Per row, only `status = X` has a form (STATUS_ROW); any other use needs the merged call.
      return {
        get value(): Typed {
          use.halves.add('mixed');
          return UNPUSHABLE;
        },
        kind: 'text',
        equals,
      };
    }
    const top = own(TOP_LEVEL, name);
    if (top) {
      if (top.column) need(top.column);
      if (mode === 'row') {
        if (name === 'display_name') {
          use.halves.add('mixed');
          return { value: UNPUSHABLE, kind: top.kind };
        }
        use.halves.add(top.half);
      }
      return { value: top.typed, kind: top.kind };
    }
    const dot = name.indexOf('.');
    const head = dot < 0 ? name : name.slice(0, dot);
    if (dot < 0 || !(Object.hasOwn(TOP_LEVEL, head) || DERIVED.has(head))) {
      throw new ValidationError(where, `unknown call field "${field}"`);
    }
    const headField = TOP_LEVEL[head];
    if (!headField || headField.kind !== 'json' || !headField.column) {
      throw new ValidationError(where, `"${head}" is not a JSON field: no dotted path into it ("${field}")`);
    }
    const path = jsonPath(name.slice(dot + 1).split('.'), where);
    need(headField.column);
    if (mode === 'row') use.halves.add(headField.half);
    return { value: { t: 'json', node: jsonNode(headField.column, path) }, kind: 'json' };
  };
  // Row mode pre-selects candidates, re-checked on the merged calls: a superset is enough.
  resolver.superset = mode === 'row';
  return resolver;
}

/** The record fields to read for a `columns` list (see query-operands.ts). */
export function selectedFields(columns: string[] | undefined, where = 'columns'): RecordField[] {
  return selectRecordFields(columns, (head) => Object.hasOwn(TOP_LEVEL, head) || DERIVED.has(head), where);
}

/** The merged columns that the output of these record fields reads. */
export function outputColumns(fields: readonly RecordField[]): MergedColumn[] {
  const out = new Set<MergedColumn>();
  for (const f of fields) {
    if (f === 'status') out.add('exception');
    else if (f !== 'id' && f !== 'project_id') out.add(f);
  }
  return [...out];
}

/** The SELECT expression of a record field over merged columns (aliased to the field name). */
export function outputSql(field: RecordField): string {
  return field === 'status' ? `${STATUS_SQL} AS status` : field;
}

/** A result row (only the selected fields present) as a CallRecord; other fields are null. */
export const rowToCall: (row: Row) => CallRecord = recordBuilder('object', {
  text: (v) => (typeof v === 'string' ? v : null),
  number: (v) => (typeof v === 'number' ? v : null),
  time: (v) => (typeof v === 'number' ? microsToIso(v) : null),
  json: (v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null),
});
