import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../app-env.js';

/**
 * `GET /server_stats`: counters of the server's bounded resources, for operators and tests (behind
 * auth, unlike `/health`). `streams`: `/calls/stream_query` streams open now, refused (429) and
 * aborted for reading nothing, since the server started. `offloaded_writes` / `_pages` / `_reads`:
 * call writes (large bodies, see `DEFAULTS.offloadBodyBytes`), `/calls/query` pages and `/call/read`
 * calls run in the store worker since the server started (offload/store-offload.ts).
 */
export function serverStatsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/server_stats', (c) =>
    c.json({
      streams: deps.streams.stats(),
      offloaded_writes: deps.offload?.offloadedWrites ?? 0,
      offloaded_pages: deps.offload?.offloadedPages ?? 0,
      offloaded_reads: deps.offload?.offloadedReads ?? 0,
    }),
  );
  return app;
}
