import { CALL_RECORD_FIELDS } from '../../shared/call-types.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { CallRecord } from '../../shared/call-types.js';
import { StoreError, WeftError } from '../../shared/errors.js';
import { OWNER_ONLY } from '../../shared/owner-only.js';
import type { CallPart, CallsQuery, TraceStore } from '../trace-store.js';
import { rowToCall, selectList } from './call-fields.js';
import { compileCallsCount, compileCallsSelect } from './call-query-sql.js';
import { CallStream } from './call-stream.js';
import { applyMigrations } from './migrations.js';
import { createOwnerOnlyDbFile, restrictDbSidecars } from './owner-only-db-file.js';
import { ReadPool, StatementCache } from './read-pool.js';
import { SqliteApiKeys } from './sqlite-api-keys.js';
import { SqliteFeedback } from './sqlite-feedback.js';
import { SqliteFiles } from './sqlite-files.js';
import { SqliteIngest } from './sqlite-ingest.js';
import { SqliteObjects } from './sqlite-objects.js';
import { SqliteProjects } from './sqlite-projects.js';
import { SqliteTables } from './sqlite-tables.js';
import { StoreFront, type StoreParts } from '../store-front.js';

/** Tunables of the SQLite store. */
export const DEFAULTS = {
  /** How long a connection waits for a lock held by another connection or process, in milliseconds. */
  busyTimeoutMs: 5_000,
  /** Idle read-only connections kept for reuse by `queryCalls` streams. */
  maxIdleReadConnections: 4,
  /** A `queryCalls` stream yields to the event loop after this many rows. */
  streamChunkRows: 500,
  /** A `queryCalls` stream also yields once a batch of rows has taken this many ms (large rows). */
  streamSliceMs: 10,
  /**
   * A `queryCalls` stream reads rows only as they are asked for, at most this many characters of row
   * text ahead of its consumer (at least one row): what a stalled consumer pins.
   */
  streamReadAheadChars: 64 * 1024,
  /** Prepared statements cached per connection, keyed by SQL text (least recently used evicted). */
  statementCacheSize: 200,
  /** SQLite page cache per connection, in KiB. */
  cacheSizeKiB: 64 * 1024,
  /**
   * WAL pages (4 KiB) written before SQLite checkpoints them into the database file, on a commit of
   * the main connection. Larger than SQLite's 1 000: checkpoints (and their fsyncs) are the main cost
   * of ingest, and fewer, larger ones write each hot index page once instead of many times.
   */
  walAutocheckpointPages: 10_000,
  /** Size the WAL file is truncated back to after a checkpoint, in bytes. */
  walSizeLimitBytes: 64 * 1024 * 1024,
  /**
   * Called when a batch holding large values kept as text (`RawJson`) is bound and the values let go,
   * before its statements run (sqlite-ingest.ts): the store worker passes a full collection, so that
   * the request body is freed before SQLite builds its own copies. Absent: batches run as they bind.
   * @default undefined
   */
  releaseMemory: undefined as (() => void) | undefined,
};

export type SqliteStoreOptions = Partial<typeof DEFAULTS>;

/** The calls and their descendants; CROSS JOIN keeps the queue outer, so children come from calls_parent. */
const DELETE_TREE_SQL = `WITH RECURSIVE doomed(id) AS (
    SELECT value FROM json_each(?)
    UNION
    SELECT c.id FROM doomed d CROSS JOIN calls c WHERE c.project_id = ? AND c.parent_id = d.id
  )
  DELETE FROM calls WHERE project_id = ? AND id IN (SELECT id FROM doomed)`;

/**
 * The embedded store: one SQLite file in WAL mode (`synchronous=NORMAL`). The main connection does
 * all writes and the short reads (count, read, feedback, objects...). Every `queryCalls` stream reads
 * on its own pooled read-only connection, rows read as they are asked for (call-stream.ts): memory stays
 * flat however many rows match, ingest goes on meanwhile (WAL), and the stream sees the data as of
 * its first row. A stream left unfinished keeps its connection (and its WAL snapshot) until it ends
 * or its iterator's `return()` is called (a `for await` that breaks does): consumers must do so.
 *
 * Modules: migrations.ts (schema), sqlite-ingest.ts (idempotent upserts), call-query-sql.ts and
 * sqlite-query.ts (query compiler and its semantics), call-fields.ts (fields, rows to records).
 *
 * `open(':memory:')` uses a file in a fresh temp dir, deleted on close (streams need a shared file).
 */
export class SqliteStore extends StoreFront implements TraceStore {
  readonly kind = 'sqlite';
  readonly storesRawJson = true;
  private readonly statements: StatementCache;
  private readonly readers: ReadPool;
  private readonly ingester: SqliteIngest;
  protected readonly parts: StoreParts;
  private readonly readCallStmt: Statement;
  private readonly deleteTreeStmt: Statement;
  private readonly updateStmt: Statement;

  private constructor(
    private readonly db: Db,
    /** The database file. */
    readonly file: string,
    private readonly options: typeof DEFAULTS,
    private readonly tempDir: string | undefined,
  ) {
    super();
    this.statements = new StatementCache(db, options.statementCacheSize);
    this.readers = new ReadPool(file, {
      maxIdle: options.maxIdleReadConnections,
      busyTimeoutMs: options.busyTimeoutMs,
      statementCacheSize: options.statementCacheSize,
    });
    this.ingester = new SqliteIngest(db, options.releaseMemory);
    this.parts = {
      feedback: new SqliteFeedback(db, this.statements),
      objects: new SqliteObjects(db, this.statements),
      tables: new SqliteTables(db),
      files: new SqliteFiles(db),
      projects: new SqliteProjects(db),
      keys: new SqliteApiKeys(db),
    };
    this.readCallStmt = db
      .prepare(`SELECT ${selectList(CALL_RECORD_FIELDS)} FROM calls WHERE project_id = ? AND id = ?`)
      .raw(true);
    this.deleteTreeStmt = db.prepare(DELETE_TREE_SQL);
    this.updateStmt = db.prepare(
      'UPDATE calls SET display_name_override = ? WHERE project_id = ? AND id = ?',
    );
  }

  /**
   * Opens (creating it and its parent folders if needed, owner-only: file and its -wal/-shm 0600,
   * new folders 0700) and migrates the store at `file`. Throws a
   * WeftError (`STORE_OPEN_FAILED`) naming the path if it cannot be opened for writing.
   */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    const opts = { ...DEFAULTS, ...options };
    let tempDir: string | undefined;
    let target = file;
    let db: Db | undefined;
    try {
      if (file === ':memory:' || file === '') {
        tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-memory-'));
        target = path.join(tempDir, 'weft.db');
      }
      fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true, mode: OWNER_ONLY.dir });
      createOwnerOnlyDbFile(target);
      db = new Database(target, { timeout: opts.busyTimeoutMs });
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`could not enable WAL mode (journal_mode is ${String(mode)})`);
      restrictDbSidecars(target);
      db.pragma('synchronous = NORMAL');
      db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(opts.walAutocheckpointPages))}`);
      db.pragma(`journal_size_limit = ${Math.max(-1, Math.floor(opts.walSizeLimitBytes))}`);
      db.pragma(`cache_size = -${Math.max(1, Math.floor(opts.cacheSizeKiB))}`);
      applyMigrations(db);
      db.exec('BEGIN IMMEDIATE; COMMIT'); // proves the file is writable even when nothing was migrated
      return new SqliteStore(db, target, opts, tempDir);
    } catch (err) {
      db?.close();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
      if (err instanceof WeftError) throw err;
      throw new StoreError(
        `Cannot open the SQLite store at ${file} for writing: ${(err as Error).message}`,
        'STORE_OPEN_FAILED',
        { cause: err },
      );
    }
  }

  /** A part that cannot be stored is a ValidationError; an SQLite failure a WeftError `STORE_WRITE_FAILED`. */
  async ingest(parts: CallPart[]): Promise<void> {
    this.assertOpen();
    try {
      this.ingester.ingest(parts);
    } catch (err) {
      if (err instanceof WeftError) throw err;
      throw new StoreError(`Writing calls failed: ${(err as Error).message}`, 'STORE_WRITE_FAILED', {
        cause: err,
      });
    }
  }

  /**
   * Validates and compiles the query at once (a ValidationError is thrown by this call), then streams
   * the rows from a read-only connection. See call-query-sql.ts and sqlite-query.ts for the semantics.
   */
  queryCalls(query: CallsQuery): AsyncIterable<CallRecord> {
    this.assertOpen();
    const compiled = compileCallsSelect(query);
    return { [Symbol.asyncIterator]: () => new CallStream(this.readers, compiled, this.streamOptions()) };
  }

  /** The same stream as {@link queryCalls}, as JSON text, one record per item (no newline). */
  queryCallsJson(query: CallsQuery): AsyncIterable<string> {
    this.assertOpen();
    const compiled = compileCallsSelect(query, 'json');
    const options = { ...this.streamOptions(), mapRow: (line: unknown) => line as string, pluck: true };
    return { [Symbol.asyncIterator]: () => new CallStream<string>(this.readers, compiled, options) };
  }

  private streamOptions() {
    return {
      chunkRows: Math.max(1, this.options.streamChunkRows),
      sliceMs: this.options.streamSliceMs,
      readAheadChars: Math.max(1, this.options.streamReadAheadChars),
      isClosed: () => this.closed,
    };
  }

  async countCalls(query: Omit<CallsQuery, 'sort_by' | 'offset' | 'columns'>): Promise<number> {
    this.assertOpen();
    const compiled = compileCallsCount(query);
    return (this.statements.get(compiled.sql).get(...compiled.params) as { n: number }).n;
  }

  async readCall(projectId: string, id: string): Promise<CallRecord | null> {
    this.assertOpen();
    const row = this.readCallStmt.get(projectId, id) as unknown[] | undefined;
    return row ? rowToCall(row) : null;
  }

  async deleteCalls(projectId: string, ids: string[]): Promise<number> {
    this.assertOpen();
    if (ids.length === 0) return 0;
    return this.deleteTreeStmt.run(JSON.stringify(ids), projectId, projectId).changes;
  }

  /** Stores the name as an override that wins over any start re-sent later; `''` / null removes it. */
  async updateCall(projectId: string, id: string, update: { display_name: string | null }): Promise<boolean> {
    this.assertOpen();
    return this.updateStmt.run(update.display_name ?? '', projectId, id).changes > 0;
  }

  /** Closes the connections (streams still open end with a STORE_CLOSED error). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.readers.close();
    this.db.close();
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}
