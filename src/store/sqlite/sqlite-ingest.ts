import type { Database, Statement } from 'better-sqlite3';
import type { CallPart } from '../trace-store.js';
import { ValidationError } from '../../shared/errors.js';
import { microsToIso } from '../../shared/time.js';
import { END_FIELDS, START_FIELDS, type CallFieldSpec } from '../../shared/call-field-table.js';
import { RawJson } from '../../shared/raw-json.js';
import { HEAD_CHARS, HEAD_OVER, headOf } from './value-head.js';

/**
 * Writes call halves into `calls`, idempotent and order-free.
 *
 * Each column belongs to one half, as src/shared/call-field-table.ts assigns the fields (a time is
 * kept as microseconds and as ISO text). Every part is an upsert on
 * (project_id, id) whose `DO UPDATE` sets only the columns of the half that arrived (`complete` sets
 * both), so re-sent halves, an end before its start and duplicates within a batch converge to one row.
 * The v2 end's `trace_id` / `started_at` only fill a row whose start has not arrived. A batch is one
 * transaction: if any part fails (e.g. a value that is not JSON-serialisable), nothing is written.
 */

/**
 * The columns of a half, in table order: a time is kept twice (`_us` integer, `_iso` text), a JSON
 * value with its head (value-head.ts).
 */
function columnsOf(fields: readonly CallFieldSpec[]): string {
  return fields.map(columnOf).join(', ');
}

function columnOf(f: CallFieldSpec): string {
  if (f.kind === 'time') return `${f.name}_us, ${f.name}_iso`;
  return f.kind === 'json' ? `${f.name}, ${f.name}_head` : f.name;
}

/** The call fields stored as JSON text (each with its head). */
const JSON_FIELDS: readonly string[] = [...START_FIELDS, ...END_FIELDS]
  .filter((f) => f.kind === 'json')
  .map((f) => f.name);
const JSON_COLUMNS = new Set(JSON_FIELDS);
const START_COLUMNS = columnsOf(START_FIELDS);
const END_COLUMNS = columnsOf(END_FIELDS);

/**
 * `?, ?, …` for the values of `columns` (comma-separated names); a JSON column's value is cast to text,
 * as a kept value (`RawJson`) is bound as its UTF-8 bytes (a blob), not as a string.
 */
const marks = (columns: string) =>
  columns
    .split(', ')
    .map((c) => (JSON_COLUMNS.has(c) ? 'CAST(? AS TEXT)' : '?'))
    .join(', ');

const setFrom = (columns: string) =>
  columns
    .split(', ')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');

const START_SQL = `INSERT INTO calls (project_id, id, ${START_COLUMNS}, has_start)
  VALUES (?, ?, ${marks(START_COLUMNS)}, 1)
  ON CONFLICT (project_id, id) DO UPDATE SET ${setFrom(START_COLUMNS)}, has_start = 1`;

const END_SQL = `INSERT INTO calls (project_id, id, ${END_COLUMNS}, trace_id, started_at_us, started_at_iso, has_end)
  VALUES (?, ?, ${marks(END_COLUMNS)}, ?, ?, ?, 1)
  ON CONFLICT (project_id, id) DO UPDATE SET ${setFrom(END_COLUMNS)}, has_end = 1,
    trace_id = CASE WHEN has_start = 1 THEN trace_id ELSE coalesce(excluded.trace_id, trace_id) END,
    started_at_us = CASE WHEN has_start = 1 THEN started_at_us
      ELSE coalesce(excluded.started_at_us, started_at_us) END,
    started_at_iso = CASE WHEN has_start = 1 THEN started_at_iso
      ELSE coalesce(excluded.started_at_iso, started_at_iso) END`;

const COMPLETE_SQL = `INSERT INTO calls (project_id, id, ${START_COLUMNS}, ${END_COLUMNS}, has_start, has_end)
  VALUES (?, ?, ${marks(START_COLUMNS)}, ${marks(END_COLUMNS)}, 1, 1)
  ON CONFLICT (project_id, id) DO UPDATE SET ${setFrom(START_COLUMNS)}, ${setFrom(END_COLUMNS)},
    has_start = 1, has_end = 1`;

const PROJECT_SQL = `INSERT INTO projects (project_id, last_activity_us) VALUES (?, ?)
  ON CONFLICT (project_id) DO UPDATE SET
    last_activity_us = max(coalesce(last_activity_us, excluded.last_activity_us), excluded.last_activity_us)`;

export class SqliteIngest {
  private readonly start: Statement;
  private readonly end: Statement;
  private readonly complete: Statement;
  private readonly project: Statement;
  private readonly batch: (parts: CallPart[]) => void;

  /**
   * @param releaseMemory called once a batch's statements are bound and its kept values let go, before
   * they run (the store worker passes a full collection): see `write`.
   */
  constructor(
    private readonly db: Database,
    private readonly releaseMemory?: () => void,
  ) {
    this.start = db.prepare(START_SQL);
    this.end = db.prepare(END_SQL);
    this.complete = db.prepare(COMPLETE_SQL);
    this.project = db.prepare(PROJECT_SQL);
    this.batch = db.transaction((parts: CallPart[]) => this.write(parts));
  }

  /** Writes all parts in one transaction; throws (and writes nothing) if any part fails. */
  ingest(parts: CallPart[]): void {
    if (parts.length > 0) this.batch(parts);
  }

  private write(parts: CallPart[]): void {
    const activity = new Map<string, number>();
    // With a large value kept as text (RawJson, a view of the request body), every statement is bound
    // first, then the body is let go and `releaseMemory` runs before any statement does: SQLite's
    // record of a 30 MiB value is then built without the body still held (one copy less at the peak).
    const twoPhase = this.releaseMemory !== undefined && parts.some(hasRawJson);
    const bound: Statement[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as CallPart;
      const [stmt, values, last] = this.statementOf(part, i);
      if (!twoPhase) stmt.run(values);
      else {
        bound.push(this.db.prepare(stmt.source).bind(values));
        values.length = 0; // its Buffers view the body: not even a stale register may hold them
      }
      const seen = activity.get(part.call.project_id);
      if (seen === undefined || last > seen) activity.set(part.call.project_id, last);
    }
    if (twoPhase) {
      for (const part of parts) releaseRawJson(part);
      this.releaseMemory?.();
      for (const stmt of bound) stmt.run();
    }
    for (const [projectId, last] of activity) this.project.run(projectId, last);
  }

  /** The statement that writes `part`, its values, and the part's latest time (project activity). */
  private statementOf(part: CallPart, i: number): [Statement, unknown[], number] {
    const c = part.call;
    if (typeof c?.project_id !== 'string' || typeof c.id !== 'string') {
      throw new ValidationError(`parts[${i}].call`, 'expected project_id and id strings');
    }
    if (part.kind === 'start') {
      return [
        this.start,
        [c.project_id, c.id, ...startValues(part.call, part.startedAtUs, i)],
        part.startedAtUs,
      ];
    }
    if (part.kind === 'end') {
      const e = part.call;
      const v2Start = part.startedAtUs === undefined ? null : micros(part.startedAtUs, i, 'startedAtUs');
      const v2Iso = v2Start === null ? null : microsToIso(v2Start);
      const values = [
        c.project_id,
        c.id,
        ...endValues(e, part.endedAtUs, i),
        e.trace_id ?? null,
        v2Start,
        v2Iso,
      ];
      return [this.end, values, part.endedAtUs];
    }
    if (part.kind === 'complete') {
      const values = startValues(part.call, part.startedAtUs, i);
      values.unshift(c.project_id, c.id);
      values.push(...endValues(part.call, part.endedAtUs, i));
      return [this.complete, values, Math.max(part.startedAtUs, part.endedAtUs)];
    }
    throw new ValidationError(`parts[${i}].kind`, 'expected start, end or complete');
  }
}

function hasRawJson(part: CallPart): boolean {
  const call = part.call as unknown as Record<string, unknown>;
  return JSON_FIELDS.some((name) => call[name] instanceof RawJson);
}

function releaseRawJson(part: CallPart): void {
  const call = part.call as unknown as Record<string, unknown>;
  for (const name of JSON_FIELDS) {
    const value = call[name];
    if (value instanceof RawJson) value.release();
  }
}

/**
 * The values of a half's columns ({@link columnsOf} order) from a validated call; `us` is the half's
 * time (the part's `startedAtUs` / `endedAtUs`).
 */
function halfValues(fields: readonly CallFieldSpec[], c: object, us: number, i: number): unknown[] {
  const call = c as Record<string, unknown>;
  const values: unknown[] = [];
  for (const f of fields) {
    if (f.kind === 'time') values.push(micros(us, i, f.name), microsToIso(us));
    else if (f.kind === 'json') {
      const value = call[f.name];
      if (value instanceof RawJson) values.push(value.buffer(), rawHead(value));
      else {
        const text = json(value, i, f.name);
        values.push(text, headOf(text));
      }
    } else values.push(call[f.name] ?? null);
  }
  return values;
}

const startValues = (c: object, us: number, i: number) => halfValues(START_FIELDS, c, us, i);
const endValues = (c: object, us: number, i: number) => halfValues(END_FIELDS, c, us, i);

/** A kept value's head (value-head.ts), by its size in bytes, which is at least its length. */
function rawHead(value: RawJson): string | null {
  return value.bytes.byteLength > HEAD_OVER ? value.head(HEAD_CHARS) : null;
}

function micros(us: number, i: number, name: string): number {
  if (!Number.isSafeInteger(us))
    throw new ValidationError(`parts[${i}].${name}`, 'expected integer microseconds');
  return us;
}

/** JSON text of a value; undefined and null are stored as SQL NULL. */
function json(value: unknown, i: number, name: string): string | null {
  if (value === undefined || value === null) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new ValidationError(`parts[${i}].call.${name}`, `not JSON-serialisable: ${(err as Error).message}`);
  }
  return text ?? null;
}
