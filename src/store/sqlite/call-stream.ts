import type { CallRecord } from '../../shared/call-types.js';
import { StoreError } from '../../shared/errors.js';
import { rowToCall } from './call-fields.js';
import type { PooledReader, ReadPool } from './read-pool.js';
import type { SqlFragment } from './sql-fragment.js';

/** How a {@link CallStream} reads; see the SQLite store's DEFAULTS (`streamChunkRows`, `streamReadAheadChars`). */
export interface CallStreamOptions<T> {
  /** Rows read between yields to the event loop. */
  chunkRows: number;
  /** Yield to the event loop once a batch has taken this long, however few rows it holds (ms). */
  sliceMs?: number;
  /** Row text (characters) read ahead of the consumer at most; at least one row is read. */
  readAheadChars: number;
  /** Whether the store was closed (the stream then fails with STORE_CLOSED). */
  isClosed: () => boolean;
  /**
   * Turns a row into what the stream yields: a raw row (array) into a CallRecord by default; with
   * `pluck`, the row is the value of the single selected column (no array per row).
   */
  mapRow?: (row: unknown) => T;
  pluck?: boolean;
}

/**
 * One `queryCalls` stream: rows are read on a pooled read-only connection (its own WAL snapshot, so
 * ingest on the main connection goes on) only as the consumer asks for them, a small batch at a time:
 * a batch ends at `readAheadChars` characters of row text, so a consumer that stops asking (a client
 * that stops reading) pins about that much, however big the rows or the result. Every `chunkRows`
 * rows the stream yields to the event loop, so a consumer that pulls as fast as it can does not
 * starve other work.
 *
 * The connection is taken at the first `next()` and given back when the rows run out, on `return()`
 * (a `for await` that breaks or throws calls it) or on an error. A consumer that stops calling
 * `next()` without `return()` keeps the connection and its snapshot: don't.
 */
export class CallStream<T = CallRecord> implements AsyncIterableIterator<T> {
  private reader: PooledReader | undefined;
  private rows: Iterator<unknown> | undefined;
  private batch: T[] = [];
  private position = 0;
  private finished = false;
  private exhausted = false;
  private sinceYield = 0;
  private readonly mapRow: (row: unknown) => T;

  constructor(
    private readonly pool: ReadPool,
    private readonly query: SqlFragment,
    private readonly options: CallStreamOptions<T>,
  ) {
    this.mapRow = options.mapRow ?? (rowToCall as (row: unknown) => T);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.position < this.batch.length) {
      return { value: this.batch[this.position++] as T, done: false };
    }
    if (this.finished || this.exhausted) {
      this.finish();
      return { value: undefined, done: true };
    }
    if (this.sinceYield >= this.options.chunkRows) {
      this.sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.finished) return { value: undefined, done: true }; // returned meanwhile
    }
    try {
      this.fill();
    } catch (err) {
      this.finish();
      throw err;
    }
    return this.next();
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return { value: undefined, done: true };
  }

  /** Whether the stream holds a connection now (for tests: a stream given up must hold none). */
  get holdsConnection(): boolean {
    return this.reader !== undefined;
  }

  /** Rows read ahead and not yet handed out (for tests: bounded by `readAheadChars`). */
  get buffered(): number {
    return this.batch.length - this.position;
  }

  /** Reads the next batch: up to the next yield, and no more than `readAheadChars` of row text. */
  private fill(): void {
    const rows = this.open();
    this.batch = [];
    this.position = 0;
    let chars = 0;
    const pluck = this.options.pluck === true;
    const until = performance.now() + (this.options.sliceMs ?? Infinity);
    while (this.sinceYield < this.options.chunkRows && chars < this.options.readAheadChars) {
      if (this.batch.length > 0 && performance.now() >= until) {
        this.sinceYield = this.options.chunkRows; // big rows: yield before the next one
        return;
      }
      const step = rows.next();
      if (step.done) {
        this.exhausted = true;
        this.releaseConnection();
        return;
      }
      this.sinceYield++;
      chars += pluck ? textLength(step.value) : rowTextLength(step.value as unknown[]);
      this.batch.push(this.mapRow(step.value));
    }
  }

  private open(): Iterator<unknown> {
    if (this.options.isClosed()) throw new StoreError('the store was closed during a query', 'STORE_CLOSED');
    if (!this.rows) {
      this.reader = this.pool.acquire();
      const stmt = this.reader.prepare(this.query.sql);
      if (this.options.pluck) stmt.pluck(true);
      else stmt.raw(true);
      this.rows = stmt.iterate(...this.query.params) as Iterator<unknown>;
    }
    return this.rows;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.batch = [];
    this.position = 0;
    this.releaseConnection();
  }

  private releaseConnection(): void {
    const rows = this.rows;
    const reader = this.reader;
    this.rows = undefined;
    this.reader = undefined;
    try {
      rows?.return?.();
    } finally {
      if (reader) this.pool.release(reader);
    }
  }
}

function textLength(value: unknown): number {
  return typeof value === 'string' ? value.length : 8;
}

function rowTextLength(row: unknown[]): number {
  let n = 0;
  for (const cell of row) n += textLength(cell);
  return n;
}
