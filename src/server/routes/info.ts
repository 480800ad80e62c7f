import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../app-env.js';

/** Paths that answer without authentication. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health', '/server_info']);

/** What Weave clients ask before anything else, and a liveness probe. Both are public. */
export function infoRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/server_info', (c) =>
    c.json({ min_required_weave_python_version: '0.0.0', version: deps.version, store: deps.store.kind }),
  );

  app.get('/health', (c) => c.json({ status: 'ok' }));

  return app;
}
