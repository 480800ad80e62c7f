import type { ClickHouseStoreOptions } from '../../store/clickhouse/clickhouse-store.js';
import type { CallWriteJob } from '../routes/call-writes.js';
import type { OffloadedAnswer } from './write-offload.js';

/** How the write worker opens its own connection to the server's store (`workerData`). */
export interface WriteWorkerConfig {
  /** The SQLite file (when `storeKind` is not `clickhouse`). */
  db: string;
  storeKind?: 'sqlite' | 'clickhouse';
  clickhouse?: ClickHouseStoreOptions;
}

/** Event loop -> worker. `bytes` is the raw (decompressed) JSON body, moved, not copied. */
export type WriteWorkerRequest =
  { type: 'write'; id: number; job: CallWriteJob; bytes: Uint8Array } | { type: 'close' };

/** Worker -> event loop: the answer to write `id`. */
export interface WriteWorkerReply {
  id: number;
  answer: OffloadedAnswer;
}
