/** The `parseArgs` options that choose the store, shared by `weft serve` and `weft keys create`. */
export const STORE_FLAG_OPTIONS = {
  db: { type: 'string' },
  store: { type: 'string' },
  'clickhouse-url': { type: 'string' },
  'clickhouse-database': { type: 'string' },
  'clickhouse-user': { type: 'string' },
  'clickhouse-password': { type: 'string' },
} as const;
