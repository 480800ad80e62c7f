import { InvalidOptionError, StoreError } from '../../shared/errors.js';

/** Defaults of the ingest buffer. */
export const DEFAULTS = {
  /** A block is inserted once it holds this many rows. */
  maxRows: 10_000,
  /** ... or this many bytes of row data (approximate: the JSON size of the rows). */
  maxBytes: 32 * 1024 * 1024,
  /** ... or this long after its first row arrived, in milliseconds. */
  maxDelayMs: 100,
  /** Inserts in flight at once; further full blocks wait for one to finish. */
  maxConcurrentInserts: 2,
};

export type IngestBufferOptions = Partial<typeof DEFAULTS>;

/** What the buffer has done so far (for tests and benchmarks). */
export interface IngestBufferStats {
  inserts: number;
  rows: number;
  failedInserts: number;
}

interface Block<Row> {
  rows: Row[];
  bytes: number;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Batches rows from many concurrent `add()` calls into large inserts, as ClickHouse wants (few, big
 * parts). Rows of one `add()` always go into the same block, so a request is inserted all or nothing.
 * Each `add()` resolves once the insert of its block succeeded (rejects if it failed): an HTTP request
 * is answered only when its rows are in ClickHouse. Concurrent requests share one insert.
 */
export class IngestBuffer<Row> {
  private open: Block<Row> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly sealed: Block<Row>[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private closed = false;
  private readonly options: typeof DEFAULTS;
  readonly stats: IngestBufferStats = { inserts: 0, rows: 0, failedInserts: 0 };

  constructor(
    private readonly insert: (rows: Row[]) => Promise<void>,
    options: IngestBufferOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = this.options[key];
      const min = key === 'maxDelayMs' ? 0 : 1;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
        throw new InvalidOptionError(key, value, `a number >= ${min}`);
      }
    }
  }

  /** Adds the rows of one request; resolves when they are inserted. `bytes` is their approximate size. */
  add(rows: Row[], bytes: number): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError('the store is closed', 'STORE_CLOSED'));
    if (rows.length === 0) return Promise.resolve();
    let block = this.open;
    if (
      block &&
      (block.rows.length + rows.length > this.options.maxRows || block.bytes + bytes > this.options.maxBytes)
    ) {
      this.seal();
      block = undefined;
    }
    if (!block) {
      block = { rows: [], bytes: 0, waiters: [] };
      this.open = block;
      this.timer = setTimeout(() => this.seal(), this.options.maxDelayMs);
    }
    for (const row of rows) block.rows.push(row);
    block.bytes += bytes;
    const done = new Promise<void>((resolve, reject) => block.waiters.push({ resolve, reject }));
    if (block.rows.length >= this.options.maxRows || block.bytes >= this.options.maxBytes) this.seal();
    return done;
  }

  /** Inserts what is buffered now and waits for every insert in flight. */
  async flush(): Promise<void> {
    this.seal();
    if (this.inFlight === 0 && this.sealed.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Flushes, then refuses further rows. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private seal(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const block = this.open;
    this.open = undefined;
    if (block) this.sealed.push(block);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrentInserts && this.sealed.length > 0) {
      const block = this.sealed.shift() as Block<Row>;
      this.inFlight++;
      this.insert(block.rows).then(
        () => {
          this.stats.inserts++;
          this.stats.rows += block.rows.length;
          for (const w of block.waiters) w.resolve();
          this.finished();
        },
        (err: unknown) => {
          this.stats.failedInserts++;
          for (const w of block.waiters) w.reject(err);
          this.finished();
        },
      );
    }
  }

  private finished(): void {
    this.inFlight--;
    this.pump();
    if (this.inFlight === 0 && this.sealed.length === 0) {
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    }
  }
}
