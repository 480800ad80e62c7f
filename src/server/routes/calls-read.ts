import { Hono } from 'hono';
import type { CallRecord } from '../../shared/call-types.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { callsStreamResponse } from '../calls-stream-response.js';
import { decodeCursor, encodeCursor } from '../query-cursor.js';
import { readJsonObject } from '../read-body.js';
import { parseCallsQuery } from '../validation/calls-query.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Reading calls: NDJSON streaming, cursor-paged JSON, counts, and single calls. */
export function callsReadRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/calls/stream_query', async (c) => {
    const { query } = parseCallsQuery(await readJsonObject(c.req.raw, deps.maxBodyBytes));
    authorizeProject(c.var.principal, query.project_id, 'project_id');
    return callsStreamResponse(c, deps, query);
  });

  app.post('/calls/query', async (c) => {
    const body = await readJsonObject(c.req.raw, deps.maxBodyBytes);
    const { query, cursor } = parseCallsQuery(body, { minLimit: 1, maxLimit: deps.maxQueryPageSize });
    authorizeProject(c.var.principal, query.project_id, 'project_id');
    const pageSize = query.limit ?? deps.queryPageSize;
    const offset = cursor === undefined ? (query.offset ?? 0) : decodeCursor(cursor, query);
    const calls: CallRecord[] = [];
    let more = false;
    for await (const call of store.queryCalls({ ...query, offset, limit: pageSize + 1 })) {
      if (calls.length === pageSize) {
        more = true;
        break;
      }
      calls.push(call);
    }
    return c.json({ calls, next_cursor: more ? encodeCursor(query, offset + pageSize) : null });
  });

  app.post('/calls/query_stats', async (c) => {
    const { query } = parseCallsQuery(await readJsonObject(c.req.raw, deps.maxBodyBytes));
    authorizeProject(c.var.principal, query.project_id, 'project_id');
    const { sort_by: _sortBy, offset: _offset, columns: _columns, ...countQuery } = query;
    const count = await store.countCalls(countQuery);
    return c.json({ count });
  });

  app.post('/call/read', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const call = await store.readCall(projectId, r.string('id'));
    return c.json({ call });
  });

  return app;
}
