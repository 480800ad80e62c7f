import type { CallRecord } from '../../shared/call-types.js';
import { StoreError } from '../../shared/errors.js';
import { rowToCall } from './call-fields.js';
import type { PooledReader, ReadPool } from './read-pool.js';
import type { SqlFragment } from './sql-fragment.js';

/**
 * One `queryCalls` stream: rows are read on a pooled read-only connection (its own WAL snapshot, so
 * ingest on the main connection goes on), `chunkRows` at a time, and handed out one by one. Between
 * chunks the stream yields to the event loop. Memory stays at one chunk whatever the result size.
 *
 * The connection is taken at the first `next()` and given back when the rows run out, on `return()`
 * (a `for await` that breaks or throws calls it) or on an error. A consumer that stops calling
 * `next()` without `return()` keeps the connection and its snapshot: don't.
 */
export class CallStream<T = CallRecord> implements AsyncIterableIterator<T> {
  private reader: PooledReader | undefined;
  private rows: Iterator<unknown> | undefined;
  private buffer: T[] = [];
  private position = 0;
  private finished = false;
  private chunks = 0;

  constructor(
    private readonly pool: ReadPool,
    private readonly query: SqlFragment,
    private readonly chunkRows: number,
    private readonly isClosed: () => boolean,
    /**
     * Turns a row into what the stream yields: a raw row (array) into a CallRecord by default; with
     * `pluck`, the row is the value of the single selected column (no array per row).
     */
    private readonly mapRow: (row: unknown) => T = rowToCall as (row: unknown) => T,
    private readonly pluck = false,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.position < this.buffer.length) {
      return { value: this.buffer[this.position++] as T, done: false };
    }
    if (this.finished) return { value: undefined, done: true };
    if (this.chunks++ > 0) await new Promise<void>((resolve) => setImmediate(resolve));
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

  private fill(): void {
    if (this.isClosed()) throw new StoreError('the store was closed during a query', 'STORE_CLOSED');
    if (!this.rows) {
      this.reader = this.pool.acquire();
      const stmt = this.reader.prepare(this.query.sql);
      if (this.pluck) stmt.pluck(true);
      else stmt.raw(true);
      this.rows = stmt.iterate(...this.query.params) as Iterator<unknown>;
    }
    this.buffer = [];
    this.position = 0;
    while (this.buffer.length < this.chunkRows) {
      const step = this.rows.next();
      if (step.done) {
        this.finish();
        break;
      }
      this.buffer.push(this.mapRow(step.value));
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
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
