import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../app-env.js';

/**
 * `GET /server_stats`: counters of the server's bounded resources, for operators and tests (behind
 * auth, unlike `/health`). `streams`: `/calls/stream_query` streams open now, refused (429) and
 * aborted for reading nothing, since the server started. `offloaded_writes`: call writes run in
 * the write worker since the server started (large bodies, see `DEFAULTS.offloadBodyBytes`).
 */
export function serverStatsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/server_stats', (c) =>
    c.json({ streams: deps.streams.stats(), offloaded_writes: deps.offload?.offloaded ?? 0 }),
  );
  return app;
}
