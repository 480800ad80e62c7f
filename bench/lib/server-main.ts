import { resolveStreamConfig } from '../../src/server/server-config.js';
import { startServer } from '../../src/server/start-server.js';
import { onStopRequest } from './child-process.js';

/**
 * Child-process entry: a weft trace server (`startServer`, the same code as `weft serve`) on a random
 * loopback port over the SQLite file given as the first argument, or, when `WEFT_BENCH_CLICKHOUSE_URL`
 * is set, over a fresh database on that ClickHouse server. Stream caps come from the same environment
 * variables as `weft serve`'s (`WEFT_MAX_STREAMS`, ...).
 */
const db = process.argv[2];
if (!db) throw new Error('usage: server-main.js <db file>');
try {
  const clickhouseUrl = process.env.WEFT_BENCH_CLICKHOUSE_URL;
  const store =
    clickhouseUrl === undefined
      ? {}
      : {
          storeKind: 'clickhouse' as const,
          clickhouse: { url: clickhouseUrl, database: `weft_bench_${process.pid}_${Date.now()}` },
        };
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    db,
    streams: resolveStreamConfig(),
    ...store,
  });
  process.send?.({ ready: { url: server.url } });
  onStopRequest(() => server.close());
} catch (err) {
  process.send?.({ error: String(err) });
  process.exit(1);
}
