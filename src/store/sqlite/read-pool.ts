import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { StoreError } from '../../shared/errors.js';

/**
 * Read-only connections for streaming queries. better-sqlite3 forbids writes on a connection while one
 * of its statements is being iterated, so each open stream gets its own connection: WAL lets it read a
 * stable snapshot while the main connection keeps writing. Idle connections (with their prepared
 * statements) are kept for reuse, up to `maxIdle`.
 */
export class ReadPool {
  private readonly idle: PooledReader[] = [];
  private readonly busy = new Set<PooledReader>();
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly options: { maxIdle: number; busyTimeoutMs: number; statementCacheSize: number },
  ) {}

  acquire(): PooledReader {
    if (this.closed) throw new StoreError('the store is closed', 'STORE_CLOSED');
    const reader =
      this.idle.pop() ??
      new PooledReader(
        new Database(this.path, { readonly: true, fileMustExist: true, timeout: this.options.busyTimeoutMs }),
        this.options.statementCacheSize,
      );
    this.busy.add(reader);
    return reader;
  }

  release(reader: PooledReader): void {
    this.busy.delete(reader);
    if (this.closed || this.idle.length >= this.options.maxIdle) reader.db.close();
    else this.idle.push(reader);
  }

  /** Closes idle connections now; busy ones close when their stream ends. */
  close(): void {
    this.closed = true;
    for (const reader of this.idle.splice(0)) reader.db.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

export class PooledReader {
  private readonly cache: StatementCache;
  constructor(
    readonly db: Db,
    cacheSize: number,
  ) {
    this.cache = new StatementCache(db, cacheSize);
  }

  prepare(sql: string): Statement {
    return this.cache.get(sql);
  }
}

/** Prepared statements by SQL text, least recently used evicted beyond `size`. */
export class StatementCache {
  private readonly map = new Map<string, Statement>();
  constructor(
    private readonly db: Db,
    private readonly size: number,
  ) {}

  get(sql: string): Statement {
    let stmt = this.map.get(sql);
    if (stmt) {
      this.map.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.map.size >= this.size) {
        const oldest = this.map.keys().next();
        if (!oldest.done) this.map.delete(oldest.value);
      }
    }
    this.map.set(sql, stmt);
    return stmt;
  }
}
