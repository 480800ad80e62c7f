import { ValidationError } from '../../shared/errors.js';
import { END_FIELDS, START_FIELDS, type CallFieldSpec } from '../../shared/call-field-table.js';

const HALF_FIELDS = [...START_FIELDS, ...END_FIELDS];
import type { CallPart } from '../trace-store.js';
import type { Row } from './clickhouse-connection.js';
import type { JsonIndex } from './json-index.js';
import { indexJson } from './json-index.js';

/**
 * Call parts as `call_parts` rows (JSONEachRow objects), see migrations.ts. A start row carries the
 * start half's fields, an end row the end half's (the halves of src/shared/call-field-table.ts; a
 * time as integer microseconds, a JSON field as its text and index columns) and, for a v2 end,
 * trace_id / started_at; a complete row both. Whatever a
 * row does not carry is NULL (or an empty index). Conversion is synchronous and validates every part
 * first, so a batch with a bad part is rejected before anything is buffered.
 */

type StartHalf = Extract<CallPart, { kind: 'start' }>['call'];
type EndHalf = Extract<CallPart, { kind: 'end' }>['call'];

/** The rows of `parts`, with versions `firstVersion`, `firstVersion + 1`, ... in order. */
export function partsToRows(parts: readonly CallPart[], firstVersion: number): Row[] {
  return parts.map((part, i) => partToRow(part, i, firstVersion + i));
}

/** A row that renames a call (`updateCall`); `''` removes the name. */
export function renameRow(projectId: string, id: string, displayName: string, version: number): Row {
  return { ...emptyRow(projectId, id, version), is_rename: 1, display_name_override: displayName };
}

function partToRow(part: CallPart, i: number, version: number): Row {
  const c = part?.call;
  if (typeof c?.project_id !== 'string' || typeof c.id !== 'string') {
    throw new ValidationError(`parts[${i}].call`, 'expected project_id and id strings');
  }
  const row = emptyRow(c.project_id, c.id, version);
  if (part.kind === 'start') {
    setStart(row, part.call, part.startedAtUs, i);
  } else if (part.kind === 'end') {
    setEnd(row, part.call, part.endedAtUs, i);
    row.trace_id = text(part.call.trace_id);
    row.started_at = part.startedAtUs === undefined ? null : micros(part.startedAtUs, i, 'started_at');
  } else if (part.kind === 'complete') {
    setStart(row, part.call, part.startedAtUs, i);
    setEnd(row, part.call, part.endedAtUs, i);
  } else {
    throw new ValidationError(`parts[${i}].kind`, 'expected start, end or complete');
  }
  return row;
}

function emptyRow(projectId: string, id: string, version: number): Row {
  const row: Row = { project_id: projectId, id, version, has_start: 0, has_end: 0, is_rename: 0 };
  for (const f of HALF_FIELDS) {
    if (f.kind === 'json') setJson(row, f.name, indexJson(null, f.name));
    else row[f.name] = null;
  }
  row.display_name_override = null;
  return row;
}

/** A half's columns from a validated call; `us` is the half's time (`startedAtUs` / `endedAtUs`). */
function setHalf(row: Row, fields: readonly CallFieldSpec[], c: object, us: number, i: number): void {
  const call = c as Record<string, unknown>;
  for (const f of fields) {
    const name = f.name;
    if (f.kind === 'time') row[name] = micros(us, i, name);
    else if (f.kind === 'json') setJson(row, name, indexJson(call[name], `parts[${i}].call.${name}`));
    else if (f.kind === 'number') row[name] = integer(call[name]);
    else row[name] = text(call[name]);
  }
}

function setStart(row: Row, c: StartHalf, startedAtUs: number, i: number): void {
  row.has_start = 1;
  setHalf(row, START_FIELDS, c, startedAtUs, i);
}

function setEnd(row: Row, c: EndHalf, endedAtUs: number, i: number): void {
  row.has_end = 1;
  setHalf(row, END_FIELDS, c, endedAtUs, i);
}

function setJson(row: Row, name: string, index: JsonIndex): void {
  row[name] = index.text;
  row[`${name}_paths`] = index.paths;
  row[`${name}_kinds`] = index.kinds;
  row[`${name}_num`] = index.num;
  row[`${name}_off`] = index.off;
  row[`${name}_len`] = index.len;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

function micros(us: number, i: number, name: string): number {
  if (!Number.isSafeInteger(us))
    throw new ValidationError(`parts[${i}].${name}`, 'expected integer microseconds');
  return us;
}
