import type { ClickHouseStoreOptions } from '../../store/clickhouse/clickhouse-store.js';
import type { SqliteStoreOptions } from '../../store/sqlite/sqlite-store.js';
import type { CallsQuery } from '../../store/trace-store.js';
import type { ErrorBody } from '../error-response.js';
import type { CallWriteJob } from '../routes/call-writes.js';

/** How the store worker opens its own connection to the server's store (`workerData`). */
export interface OffloadConfig {
  /** The SQLite file (when `storeKind` is not `clickhouse`). */
  db: string;
  storeKind?: 'sqlite' | 'clickhouse';
  clickhouse?: ClickHouseStoreOptions;
  /** Options of the worker's SQLite connection (its page cache: `DEFAULTS.offloadCacheKiB`). */
  sqlite?: SqliteStoreOptions;
}

/** What a request run in the worker answers when it fails: the status and JSON body to send. */
export interface OffloadedAnswer {
  status: number;
  body: Record<string, unknown> | ErrorBody;
  /** An unexpected (500) error's stack, for the server's log. */
  log?: string;
}

/**
 * Event loop -> worker. A write's `bytes` is its raw (decompressed) JSON body, moved, not copied; a
 * page is a validated, capped `/calls/query` page whose JSON lines come back in batches; a read is
 * `/call/read` of one call (checked and authorised), whose JSON text comes back.
 */
export type OffloadRequest =
  | { type: 'write'; id: number; job: CallWriteJob; bytes: Uint8Array }
  | { type: 'page'; id: number; query: CallsQuery }
  | { type: 'read'; id: number; projectId: string; callId: string }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

/**
 * Worker -> event loop, about request `id`: a write's answer; `/call/read`'s whole answer body as
 * UTF-8 bytes (moved, not copied); a page's next lines (`done` with the last batch); or the failure to answer with.
 */
export type OffloadReply =
  | { id: number; type: 'written'; body: Record<string, unknown> }
  | { id: number; type: 'call'; bytes: Uint8Array }
  | { id: number; type: 'lines'; lines: string[]; done: boolean }
  | { id: number; type: 'failed'; answer: OffloadedAnswer };
