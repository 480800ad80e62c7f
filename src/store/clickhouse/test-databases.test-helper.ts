import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import type { ClickHouseStoreOptions } from './clickhouse-store.js';
import { ClickHouseStore } from './clickhouse-store.js';

/**
 * Test fixture for the ClickHouse store: the server named by `WEFT_CLICKHOUSE_URL` (start one with
 * `scripts/ci-clickhouse.sh`), fresh databases named after this file's run, all dropped by `dropAll()`.
 * When the variable is not set, {@link CLICKHOUSE_SKIP} is the reason to give node:test's `skip`.
 */
export const CLICKHOUSE_URL = process.env.WEFT_CLICKHOUSE_URL || undefined;

export const CLICKHOUSE_SKIP: string | false = CLICKHOUSE_URL
  ? false
  : 'skipped: no ClickHouse. To run it: export WEFT_CLICKHOUSE_URL="$(bash scripts/ci-clickhouse.sh)" && npm test (the script installs and starts clickhouse-server; CI does this)';

/** Fast flushes keep the contract suite quick; the batching tests set their own. */
export const TEST_INGEST = { maxDelayMs: 5 };

export class TestDatabases {
  private readonly prefix = `weft_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  private readonly names = new Set<string>();
  private counter = 0;

  /** A database name not used yet (not created). */
  fresh(): string {
    const name = `${this.prefix}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Opens a store on `database` (default: a fresh one). */
  open(database = this.fresh(), options: ClickHouseStoreOptions = {}): Promise<ClickHouseStore> {
    this.names.add(database);
    return ClickHouseStore.open({ url: CLICKHOUSE_URL, database, ingest: TEST_INGEST, ...options });
  }

  /** Runs one statement directly (outside the store), e.g. `SYSTEM STOP MERGES`. */
  async sql(statement: string): Promise<Record<string, unknown>[]> {
    const client = createClient({
      url: CLICKHOUSE_URL,
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    try {
      if (/^\s*(SELECT|SHOW)/i.test(statement)) {
        return await (await client.query({ query: statement, format: 'JSONEachRow' })).json();
      }
      await client.command({ query: statement });
      return [];
    } finally {
      await client.close();
    }
  }

  async dropAll(): Promise<void> {
    for (const name of this.names) await this.sql(`DROP DATABASE IF EXISTS \`${name}\``);
    this.names.clear();
  }
}
