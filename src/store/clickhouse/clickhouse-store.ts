import { CALL_RECORD_FIELDS } from '../../shared/call-types.js';
import type { CallRecord } from '../../shared/call-types.js';
import { InvalidOptionError, StoreError } from '../../shared/errors.js';
import type { CallPart, CallsQuery, TraceStore } from '../trace-store.js';
import { outputColumns, outputSql, rowToCall } from './call-fields.js';
import { MAX_CANDIDATES, WIDEN, latestPlan } from './call-latest-sql.js';
import { idInList, mergedCallsSql } from './call-merge-sql.js';
import { CallMutations } from './call-mutations.js';
import { compileCallsCount, compileCallsSelect } from './call-query-sql.js';
import { partsToRows } from './call-rows.js';
import { ClickHouseAdmin } from './clickhouse-admin.js';
import type { Row } from './clickhouse-connection.js';
import { ClickHouseConnection } from './clickhouse-connection.js';
import { ClickHouseContent } from './clickhouse-content.js';
import { ClickHouseFeedback } from './clickhouse-feedback.js';
import { ClickHouseObjects } from './clickhouse-objects.js';
import type { IngestBufferOptions, IngestBufferStats } from './ingest-buffer.js';
import { IngestBuffer } from './ingest-buffer.js';
import { applyMigrations } from './migrations.js';
import { IDENTIFIER, sqlString } from './sql-literal.js';
import { VersionClock } from './version-clock.js';
import { StoreFront, type StoreParts } from '../store-front.js';

/** Tunables of the ClickHouse store. */
export const DEFAULTS = {
  /** ClickHouse's HTTP endpoint. */
  url: 'http://127.0.0.1:8123',
  /** Database of the store; created (with its tables) at open when missing. */
  database: 'weft',
  /** ClickHouse user; undefined uses ClickHouse's `default` user. */
  username: undefined as string | undefined,
  /** Password of `username`. */
  password: undefined as string | undefined,
  /** Timeout of one request to ClickHouse, in milliseconds (long streamed queries included). */
  requestTimeoutMs: 300_000,
  /** Sockets kept open to ClickHouse by this process. */
  maxOpenConnections: 16,
  /** How ingest batches rows into inserts (ingest-buffer.ts DEFAULTS). */
  ingest: {} as IngestBufferOptions,
};

export type ClickHouseStoreOptions = Partial<typeof DEFAULTS>;

/**
 * The scale-out store: calls, feedback, objects, tables, files and API keys in ClickHouse (18.16 or
 * later), shared by any number of `weft serve` processes. The process keeps nothing but its
 * configuration and the rows waiting for their insert: every read goes to ClickHouse.
 *
 * Writes are append-only and merged at read time (migrations.ts, call-merge-sql.ts). Ingest batches
 * the rows of concurrent requests into large inserts (ingest-buffer.ts); `ingest()` resolves when the
 * insert holding its rows succeeded. Queries (call-query-sql.ts, expr-compiler.ts, typed-sql.ts) have
 * the SQLite store's semantics, and `queryCalls` streams rows as ClickHouse sends them.
 */
export class ClickHouseStore extends StoreFront implements TraceStore {
  readonly kind = 'clickhouse';
  private readonly clock = new VersionClock();
  private readonly buffer: IngestBuffer<Row>;
  private readonly mutations: CallMutations;
  protected readonly parts: StoreParts;

  private constructor(
    private readonly conn: ClickHouseConnection,
    ingest: IngestBufferOptions,
  ) {
    super();
    this.buffer = new IngestBuffer<Row>((rows) => conn.insert('call_parts', rows, 'insert calls'), ingest);
    this.mutations = new CallMutations(conn, this.clock);
    const content = new ClickHouseContent(conn);
    const admin = new ClickHouseAdmin(conn);
    this.parts = {
      feedback: new ClickHouseFeedback(conn),
      objects: new ClickHouseObjects(conn),
      tables: content,
      files: content,
      projects: admin,
      keys: admin,
    };
  }

  /**
   * Connects, creates the database if needed and applies the migrations. Bad options are
   * InvalidOptionErrors; an unreachable server or a failed migration a WeftError `STORE_OPEN_FAILED`.
   */
  static async open(options: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
    const o = { ...DEFAULTS, ...options };
    let url: URL | undefined;
    try {
      url = new URL(o.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidOptionError('url', o.url, 'an http:// or https:// URL of ClickHouse');
    }
    if (typeof o.database !== 'string' || !IDENTIFIER.test(o.database)) {
      throw new InvalidOptionError(
        'database',
        o.database,
        'letters, digits and _ (not starting with a digit)',
      );
    }
    for (const key of ['requestTimeoutMs', 'maxOpenConnections'] as const) {
      if (!Number.isInteger(o[key]) || o[key] < 1)
        throw new InvalidOptionError(key, o[key], 'a positive integer');
    }
    // The buffer validates its own options; build it before connecting so a bad one fails fast.
    new IngestBuffer<Row>(async () => {}, o.ingest);
    let conn: ClickHouseConnection | undefined;
    try {
      conn = await ClickHouseConnection.open({
        url: o.url,
        database: o.database,
        ...(o.username === undefined ? {} : { username: o.username }),
        ...(o.password === undefined ? {} : { password: o.password }),
        requestTimeoutMs: o.requestTimeoutMs,
        maxOpenConnections: o.maxOpenConnections,
      });
      await applyMigrations(conn);
      return new ClickHouseStore(conn, o.ingest);
    } catch (err) {
      await conn?.close();
      if (err instanceof StoreError && err.code === 'STORE_SCHEMA_TOO_NEW') throw err;
      throw new StoreError(
        `Cannot open the ClickHouse store (database ${o.database} at ${url.origin}): ${(err as Error).message}`,
        'STORE_OPEN_FAILED',
        { cause: err },
      );
    }
  }

  /** What the ingest buffer has inserted so far in this process. */
  get ingestStats(): Readonly<IngestBufferStats> {
    return this.buffer.stats;
  }

  /** A part that cannot be stored is a ValidationError (nothing buffered); a failed insert a STORE_WRITE_FAILED. */
  async ingest(parts: CallPart[]): Promise<void> {
    this.assertOpen();
    if (parts.length === 0) return;
    const rows = partsToRows(parts, this.clock.take(parts.length));
    let bytes = 0;
    for (const row of rows) {
      bytes += 400;
      for (const key of ['attributes', 'inputs', 'output', 'summary']) {
        const text = row[key];
        if (typeof text === 'string') bytes += text.length * 2;
      }
    }
    await this.buffer.add(rows, bytes);
  }

  /**
   * Validates and compiles at once (a ValidationError is thrown here), then streams. "Latest N" pages
   * first try the candidate plan of call-latest-sql.ts, which buffers its (small) page.
   */
  queryCalls(query: CallsQuery): AsyncIterable<CallRecord> {
    this.assertOpen();
    const sql = compileCallsSelect(query);
    const plan = latestPlan(query);
    const conn = this.conn;
    return {
      async *[Symbol.asyncIterator]() {
        if (plan) {
          for (let k = plan.firstK; k <= MAX_CANDIDATES; k *= WIDEN) {
            const [probe] = await conn.rows<{ n: number; t: number }>(plan.probeSql(k), 'probe latest calls');
            const n = Number(probe?.n ?? 0);
            const page = await conn.rows(plan.pageSql(k, { n, t: Number(probe?.t ?? 0) }), 'query calls');
            if (page.length >= plan.limit) {
              for (const row of page) yield rowToCall(row);
              return;
            }
            if (n < k) break; // every candidate was seen: the rest needs the full query
          }
        }
        for await (const batch of conn.stream(sql, 'query calls')) {
          for (const row of batch) yield rowToCall(row);
        }
      },
    };
  }

  async countCalls(query: Omit<CallsQuery, 'sort_by' | 'offset' | 'columns'>): Promise<number> {
    this.assertOpen();
    const [row] = await this.conn.rows<{ n: number }>(compileCallsCount(query), 'count calls');
    return Number(row?.n ?? 0);
  }

  async readCall(projectId: string, id: string): Promise<CallRecord | null> {
    this.assertOpen();
    const calls = mergedCallsSql({
      projectSql: sqlString(projectId),
      columns: outputColumns(CALL_RECORD_FIELDS),
      rowConditions: [idInList('id', [id])],
    });
    const [row] = await this.conn.rows(
      `SELECT ${CALL_RECORD_FIELDS.map((f) => outputSql(f)).join(', ')} FROM ${calls}`,
      'read call',
    );
    return row ? rowToCall(row) : null;
  }

  async deleteCalls(projectId: string, ids: string[]): Promise<number> {
    this.assertOpen();
    return this.mutations.deleteCalls(projectId, ids);
  }

  /** Appends a rename row that wins over any start re-sent later; `''` / null removes the name. */
  async updateCall(projectId: string, id: string, update: { display_name: string | null }): Promise<boolean> {
    this.assertOpen();
    return this.mutations.updateCall(projectId, id, update.display_name);
  }

  /** Inserts what is buffered, then closes the connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.buffer.close();
    } finally {
      await this.conn.close();
    }
  }
}
