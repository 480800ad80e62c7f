import type { ClickHouseStoreOptions } from '../store/clickhouse/clickhouse-store.js';
import { SqliteStore, type SqliteStoreOptions } from '../store/sqlite/sqlite-store.js';
import type { TraceStore } from '../store/trace-store.js';
import type { StoreConfig } from './server-config.js';
import { ServerStartError } from './server-start-error.js';

/**
 * Opens the store a configuration names: the SQLite file `db`, or ClickHouse (creating the database
 * and applying migrations). Used by `weft serve` and by the CLI commands that touch the store
 * (`weft keys create`). A failure is a ServerStartError `STORE_OPEN_FAILED` with the store's message.
 */
export async function openStore(
  db: string,
  config: {
    storeKind?: StoreConfig['storeKind'];
    clickhouse?: ClickHouseStoreOptions;
    sqlite?: SqliteStoreOptions;
  },
): Promise<TraceStore> {
  try {
    if (config.storeKind === 'clickhouse') {
      // Loaded only when asked for: the ClickHouse client is ~4 MiB of memory in each thread that
      // opens a store (the store worker's included) and SQLite is the default.
      const { ClickHouseStore } = await import('../store/clickhouse/clickhouse-store.js');
      return await ClickHouseStore.open(config.clickhouse ?? {});
    }
    return SqliteStore.open(db, config.sqlite);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ServerStartError(message, 'STORE_OPEN_FAILED', { cause: err });
  }
}
