import type { CallRecord } from '../../shared/call-types.js';
import { StoreError } from '../../shared/errors.js';
import { rowToCall } from './call-fields.js';
import type { PooledReader, ReadPool } from './read-pool.js';
import type { SqlFragment } from './sql-fragment.js';

/**
 * One `queryCalls` stream: rows are read on a pooled read-only connection (its own WAL snapshot, so
 * ingest on the main connection goes on), one row per `next()`: nothing is read ahead of the consumer,
 * so a consumer that stops asking (a client that stops reading) holds one statement and no rows.
 * Every `chunkRows` rows the stream yields to the event loop, so a consumer that pulls as fast as it
 * can does not starve other work.
 *
 * The connection is taken at the first `next()` and given back when the rows run out, on `return()`
 * (a `for await` that breaks or throws calls it) or on an error. A consumer that stops calling
 * `next()` without `return()` keeps the connection and its snapshot: don't.
 */
export class CallStream<T = CallRecord> implements AsyncIterableIterator<T> {
  private reader: PooledReader | undefined;
  private rows: Iterator<unknown> | undefined;
  private finished = false;
  private sinceYield = 0;

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
    if (this.finished) return { value: undefined, done: true };
    if (this.sinceYield >= this.chunkRows) {
      this.sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.finished) return { value: undefined, done: true }; // returned meanwhile
    }
    try {
      const step = this.open().next();
      if (step.done) {
        this.finish();
        return { value: undefined, done: true };
      }
      this.sinceYield++;
      return { value: this.mapRow(step.value), done: false };
    } catch (err) {
      this.finish();
      throw err;
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.finish();
    return { value: undefined, done: true };
  }

  /** Whether the stream holds a connection now (for tests: a stream given up must hold none). */
  get holdsConnection(): boolean {
    return this.reader !== undefined;
  }

  private open(): Iterator<unknown> {
    if (this.isClosed()) throw new StoreError('the store was closed during a query', 'STORE_CLOSED');
    if (!this.rows) {
      this.reader = this.pool.acquire();
      const stmt = this.reader.prepare(this.query.sql);
      if (this.pluck) stmt.pluck(true);
      else stmt.raw(true);
      this.rows = stmt.iterate(...this.query.params) as Iterator<unknown>;
    }
    return this.rows;
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
