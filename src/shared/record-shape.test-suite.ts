import assert from 'node:assert/strict';
import { CALL_FIELDS, END_FIELDS, START_FIELDS, type CallFieldWire } from './call-field-table.js';
import { isoToMicros } from './time.js';

/**
 * What the SDK writes of each record kind, derived from the field table, and a check of a parsed
 * record against it (keys in order, and each value's type by the field's wire rule). Shared by
 * record-writer.test.ts and call-recorder.test.ts.
 */

export type RecordKind = 'start' | 'end' | 'complete';

/** Table fields the SDK never writes (W&B run fields): each must be optional on the wire. */
export const NOT_WRITTEN = ['wb_user_id', 'wb_run_id', 'wb_run_step', 'wb_run_step_end'] as const;

const notWritten = new Set<string>(NOT_WRITTEN);
const KEY = CALL_FIELDS.filter((f) => f.half === 'key').map((f) => f.name as string);
const START = START_FIELDS.filter((f) => !notWritten.has(f.name)).map((f) => f.name as string);
const END = END_FIELDS.filter((f) => !notWritten.has(f.name)).map((f) => f.name as string);

/** A record's keys, in the order the writer writes them. */
export const RECORD_KEYS: Record<RecordKind, readonly string[]> = {
  start: [...KEY, ...START],
  complete: [...KEY, ...START, ...END],
  // A standalone end carries what locates it: its keys, trace_id and started_at (v2 ends).
  end: [...KEY, 'trace_id', 'started_at', ...END],
};

const WIRE = new Map<string, CallFieldWire | undefined>(
  CALL_FIELDS.map((f) => [f.name, 'wire' in f ? f.wire : undefined]),
);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkValue(name: string, wire: CallFieldWire | undefined, v: unknown, at: string): void {
  const where = `${at}: ${name} = ${JSON.stringify(v)}`;
  switch (wire) {
    case undefined: // key fields
    case 'id':
      assert.ok(typeof v === 'string' && v !== '', where);
      break;
    case 'parentId':
    case 'nullableString':
      assert.ok(v === null || typeof v === 'string', where);
      break;
    case 'time':
      assert.ok(typeof v === 'string' && isoToMicros(v) !== undefined, where);
      break;
    case 'integer':
      assert.ok(Number.isInteger(v), where);
      break;
    case 'object':
      assert.ok(isObject(v), where);
      break;
    case 'summary':
      assert.ok(isObject(v) && isObject(v.status_counts), where);
      assert.ok(Number.isInteger(v.status_counts.success) && Number.isInteger(v.status_counts.error), where);
      assert.ok(v.usage === undefined || isObject(v.usage), where);
      break;
    case 'any':
      break;
  }
}

const nullable = (names: readonly string[]): string[] =>
  names.filter((n) => WIRE.get(n) === 'nullableString');
/**
 * Members the writer leaves out of each kind when they have no value (optional on the wire: absent
 * reads as null).
 */
export const OMITTED_WHEN_NULL: Record<RecordKind, readonly string[]> = {
  start: nullable(START),
  end: nullable(END),
  complete: nullable([...START, ...END]),
};
const omittedWhenNull = new Set(OMITTED_WHEN_NULL.complete);

/**
 * Parses a record's text and checks it is one of `kind`: its keys in order (an optional member only
 * when it has a value) and their types. Returns the record as the server reads it: every key of the
 * kind, a member left out being null.
 */
export function parseRecord(kind: RecordKind, json: string, at: string): Record<string, unknown> {
  let record: unknown;
  assert.doesNotThrow(() => (record = JSON.parse(json)), `${at}: not JSON: ${json.slice(0, 200)}`);
  assert.ok(isObject(record), at);
  const present = record;
  const expected = RECORD_KEYS[kind].filter((k) => !omittedWhenNull.has(k) || k in present);
  assert.deepEqual(Object.keys(record), expected, `${at}: keys of a ${kind} record`);
  for (const k of OMITTED_WHEN_NULL[kind])
    assert.notEqual(present[k], null, `${at}: ${k} is null, not left out`);
  for (const [name, v] of Object.entries(record)) checkValue(name, WIRE.get(name), v, at);
  return Object.fromEntries(RECORD_KEYS[kind].map((k) => [k, present[k] ?? null]));
}
