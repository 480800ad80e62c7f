import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { parseJsonObject, readBody } from '../read-body.js';
import { checkProjectId } from '../validation/project-id.js';
import type { CallWriteKind } from './call-writes.js';
import { writeCalls } from './call-writes.js';

/**
 * The call write endpoints of the Weave trace-server API. Each request is validated whole, its projects
 * authorised, then written with one `store.ingest` call (one transaction): all of it or nothing
 * (call-writes.ts). A body of at least `offload.minBytes` is parsed and written in the write worker
 * (offload/store-offload.ts), so a large call never holds the event loop; while one is being written
 * to a single-writer store (SQLite), the event loop's own writes wait for it (`deps.store` is gated).
 */
export function callsWriteRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { offload, store } = deps;

  const write = async (c: Context<AppEnv>, kind: CallWriteKind, pathProject?: string) => {
    const bytes = await readBody(c.req.raw, deps.maxBodyBytes, c.env?.incoming);
    const job = { kind, pathProject, principal: c.var.principal };
    if (offload && bytes.length >= offload.minBytes) return c.json(await offload.write(job, bytes));
    return c.json(await writeCalls(store, job, parseJsonObject(bytes)));
  };

  app.post('/v2/:entity/:project/calls/complete', (c) => write(c, 'complete', pathProject(c)));
  app.post('/v2/:entity/:project/call/start', (c) => write(c, 'start', pathProject(c)));
  app.post('/v2/:entity/:project/call/end', (c) => write(c, 'end', pathProject(c)));
  app.post('/call/start', (c) => write(c, 'start'));
  app.post('/call/end', (c) => write(c, 'end'));
  app.post('/call/upsert_batch', (c) => write(c, 'upsert'));
  return app;
}

/** `entity/project` of a v2 URL, checked and authorised before the body is even read. */
function pathProject(c: Context<AppEnv>): string {
  const project = checkProjectId(`${c.req.param('entity')}/${c.req.param('project')}`, 'path');
  authorizeProject(c.var.principal, project, 'path');
  return project;
}
