import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { StoreError, type StoreErrorCode, WeftError } from '../../shared/errors.js';
import { sqlIdentifier } from './sql-literal.js';

/** How to reach ClickHouse. */
export interface ClickHouseTarget {
  /** HTTP(S) endpoint, e.g. `http://127.0.0.1:8123`. */
  url: string;
  /** Database of the store; created at open if missing. */
  database: string;
  username?: string;
  password?: string;
  /** Per-request timeout, in milliseconds. */
  requestTimeoutMs: number;
  /** Sockets kept open to ClickHouse (queries, streams and inserts share them). */
  maxOpenConnections: number;
}

/**
 * Settings sent with every request. Only settings that ClickHouse 18.16 knows are sent (the client
 * itself adds none unless compression is enabled, which it is not here): 64-bit integers come back as
 * JSON numbers (all weft's are below 2^53), and long `IN` lists of ids fit in a query.
 */
const SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  max_query_size: '67108864',
  max_ast_elements: '10000000',
  max_expanded_ast_elements: '10000000',
};

/** One row of a JSONEachRow result. */
export type Row = Record<string, unknown>;

/**
 * The store's access to ClickHouse over HTTP (`@clickhouse/client`): statements, small reads, streamed
 * reads and JSONEachRow inserts, all in the store's database. Failures become WeftErrors with `code`
 * STORE_READ_FAILED / STORE_WRITE_FAILED naming the operation (SQL text is not put in messages).
 */
export class ClickHouseConnection {
  private constructor(
    private readonly client: ClickHouseClient,
    readonly database: string,
  ) {}

  /** Creates the database if needed and connects to it. */
  static async open(target: ClickHouseTarget): Promise<ClickHouseConnection> {
    const db = sqlIdentifier(target.database);
    const bootstrap = createClient(clientOptions(target, undefined));
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    } finally {
      await bootstrap.close();
    }
    return new ClickHouseConnection(createClient(clientOptions(target, target.database)), target.database);
  }

  /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
  async exec(sql: string, what = 'statement'): Promise<void> {
    try {
      await this.client.command({ query: sql, clickhouse_settings: SETTINGS });
    } catch (err) {
      throw failure('STORE_WRITE_FAILED', what, err);
    }
  }

  /** Runs a query and returns all its rows (for small results). */
  async rows<T extends Row = Row>(sql: string, what = 'query'): Promise<T[]> {
    try {
      const result = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        clickhouse_settings: SETTINGS,
      });
      return await result.json<T>();
    } catch (err) {
      throw failure('STORE_READ_FAILED', what, err);
    }
  }

  /**
   * Streams the rows of a query, a batch at a time as they arrive (memory stays at one network chunk).
   * Breaking out of the loop (or an error) aborts the request.
   */
  async *stream(sql: string, what = 'query'): AsyncGenerator<Row[]> {
    const abort = new AbortController();
    let finished = false;
    try {
      let result;
      try {
        result = await this.client.query({
          query: sql,
          format: 'JSONEachRow',
          clickhouse_settings: SETTINGS,
          abort_signal: abort.signal,
        });
      } catch (err) {
        throw failure('STORE_READ_FAILED', what, err);
      }
      const rows = result.stream();
      try {
        for await (const batch of rows) {
          yield (batch as { json(): unknown }[]).map((r) => r.json() as Row);
        }
        finished = true;
      } catch (err) {
        throw failure('STORE_READ_FAILED', what, err);
      } finally {
        if (!finished) rows.destroy();
      }
    } finally {
      if (!finished) abort.abort();
    }
  }

  /** Inserts rows (one INSERT, so one block: all or nothing) in JSONEachRow. */
  async insert(table: string, values: readonly Row[], what = `insert into ${table}`): Promise<void> {
    if (values.length === 0) return;
    try {
      await this.client.insert({
        table: sqlIdentifier(table),
        values: values as Row[],
        format: 'JSONEachRow',
        clickhouse_settings: SETTINGS,
      });
    } catch (err) {
      throw failure('STORE_WRITE_FAILED', what, err);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function clientOptions(
  target: ClickHouseTarget,
  database: string | undefined,
): Parameters<typeof createClient>[0] {
  return {
    url: target.url,
    ...(database === undefined ? {} : { database }),
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    request_timeout: target.requestTimeoutMs,
    max_open_connections: target.maxOpenConnections,
    application: 'weft',
    // Failures reach the caller as WeftErrors; the client's own log would only repeat them on stderr.
    log: { level: ClickHouseLogLevel.OFF },
    compression: { request: false, response: false },
  };
}

function failure(code: StoreErrorCode, what: string, err: unknown): WeftError {
  if (err instanceof WeftError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(`ClickHouse ${what} failed: ${message}`, code, { cause: err });
}
