import { Hono } from 'hono';
import type { Context } from 'hono';
import type { CallPart } from '../../store/trace-store.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { checkProjectId } from '../validation/project-id.js';
import {
  parseCompleteBatch,
  parseEndRequest,
  parseStartRequest,
  parseUpsertBatch,
} from '../validation/write-requests.js';
import { ingestAt } from './calls-write-paths.js';

/**
 * The call write endpoints of the Weave trace-server API. Each request is validated whole, its projects
 * authorised, then written with one `store.ingest` call (one transaction): all of it or nothing. A
 * store's ValidationError is re-named to the wire field (ingestAt).
 */
export function callsWriteRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;
  const body = (c: Context<AppEnv>) => readJsonObject(c.req.raw, deps.maxBodyBytes);

  app.post('/v2/:entity/:project/calls/complete', async (c) => {
    const project = pathProject(c);
    const parts = parseCompleteBatch(await body(c), project);
    await ingestAt(store, parts, (i) => `batch[${i}]`);
    return c.json({});
  });

  app.post('/v2/:entity/:project/call/start', async (c) => {
    const project = pathProject(c);
    const part = parseStartRequest(await body(c), project);
    await ingestAt(store, [part], () => 'start');
    return c.json({ id: part.call.id, trace_id: part.call.trace_id });
  });

  app.post('/v2/:entity/:project/call/end', async (c) => {
    const project = pathProject(c);
    const part = parseEndRequest(await body(c), project);
    await ingestAt(store, [part], () => 'end');
    return c.json({});
  });

  app.post('/call/start', async (c) => {
    const part = parseStartRequest(await body(c));
    authorizeProject(c.var.principal, part.call.project_id, 'start.project_id');
    await ingestAt(store, [part], () => 'start');
    return c.json({ id: part.call.id, trace_id: part.call.trace_id });
  });

  app.post('/call/end', async (c) => {
    const part = parseEndRequest(await body(c));
    authorizeProject(c.var.principal, part.call.project_id, 'end.project_id');
    await ingestAt(store, [part], () => 'end');
    return c.json({});
  });

  app.post('/call/upsert_batch', async (c) => {
    const parts = parseUpsertBatch(await body(c));
    parts.forEach((p, i) =>
      authorizeProject(c.var.principal, p.call.project_id, `${upsertItem(p, i)}.project_id`),
    );
    await ingestAt(store, parts, (i) => upsertItem(parts[i], i));
    return c.json({ res: parts.map(upsertResult) });
  });

  return app;
}

/** `entity/project` of a v2 URL, checked and authorised before the body is even read. */
function pathProject(c: Context<AppEnv>): string {
  const project = checkProjectId(`${c.req.param('entity')}/${c.req.param('project')}`, 'path');
  authorizeProject(c.var.principal, project, 'path');
  return project;
}

/** `batch[i].req.start` or `batch[i].req.end`: where item `i` of an upsert batch sits in the body. */
function upsertItem(part: CallPart | undefined, i: number): string {
  return `batch[${i}].req.${part?.kind === 'start' ? 'start' : 'end'}`;
}

function upsertResult(part: CallPart): Record<string, unknown> {
  return part.kind === 'start' ? { id: part.call.id, trace_id: part.call.trace_id } : {};
}
