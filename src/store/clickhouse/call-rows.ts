import { ValidationError } from '../../shared/errors.js';
import type { CallPart } from '../trace-store.js';
import type { Row } from './clickhouse-connection.js';
import type { JsonIndex } from './json-index.js';
import { indexJson } from './json-index.js';

/**
 * Call parts as `call_parts` rows (JSONEachRow objects), see migrations.ts. A start row carries the
 * start half (trace_id, parent_id, op_name, display_name, thread_id, turn_id, started_at, attributes,
 * inputs, wb_user_id, wb_run_id, wb_run_step), an end row the end half (ended_at, exception, output,
 * summary, wb_run_step_end) and, for a v2 end, trace_id / started_at; a complete row both. Whatever a
 * row does not carry is NULL (or an empty index). Conversion is synchronous and validates every part
 * first, so a batch with a bad part is rejected before anything is buffered.
 */

type StartHalf = Extract<CallPart, { kind: 'start' }>['call'];
type EndHalf = Extract<CallPart, { kind: 'end' }>['call'];

const JSON_FIELDS = ['attributes', 'inputs', 'output', 'summary'] as const;

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
    row.started_at = part.startedAtUs === undefined ? null : micros(part.startedAtUs, i, 'startedAtUs');
  } else if (part.kind === 'complete') {
    setStart(row, part.call, part.startedAtUs, i);
    setEnd(row, part.call, part.endedAtUs, i);
  } else {
    throw new ValidationError(`parts[${i}].kind`, 'expected start, end or complete');
  }
  return row;
}

function emptyRow(projectId: string, id: string, version: number): Row {
  const row: Row = {
    project_id: projectId,
    id,
    version,
    has_start: 0,
    has_end: 0,
    is_rename: 0,
    trace_id: null,
    parent_id: null,
    op_name: null,
    display_name: null,
    thread_id: null,
    turn_id: null,
    started_at: null,
    wb_user_id: null,
    wb_run_id: null,
    wb_run_step: null,
    ended_at: null,
    exception: null,
    wb_run_step_end: null,
    display_name_override: null,
  };
  for (const field of JSON_FIELDS) setJson(row, field, indexJson(null, field));
  return row;
}

function setStart(row: Row, c: StartHalf, startedAtUs: number, i: number): void {
  row.has_start = 1;
  row.trace_id = text(c.trace_id);
  row.parent_id = text(c.parent_id);
  row.op_name = text(c.op_name);
  row.display_name = text(c.display_name);
  row.thread_id = text(c.thread_id);
  row.turn_id = text(c.turn_id);
  row.started_at = micros(startedAtUs, i, 'startedAtUs');
  row.wb_user_id = text(c.wb_user_id);
  row.wb_run_id = text(c.wb_run_id);
  row.wb_run_step = integer(c.wb_run_step);
  setJson(row, 'attributes', indexJson(c.attributes, `parts[${i}].call.attributes`));
  setJson(row, 'inputs', indexJson(c.inputs, `parts[${i}].call.inputs`));
}

function setEnd(row: Row, c: EndHalf, endedAtUs: number, i: number): void {
  row.has_end = 1;
  row.ended_at = micros(endedAtUs, i, 'endedAtUs');
  row.exception = text(c.exception);
  row.wb_run_step_end = integer(c.wb_run_step_end);
  setJson(row, 'output', indexJson(c.output, `parts[${i}].call.output`));
  setJson(row, 'summary', indexJson(c.summary, `parts[${i}].call.summary`));
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
