import { Hono } from 'hono';
import { MIN_TRUNCATE_BYTES } from '../../shared/api-types.js';
import { JSON_FIELDS } from '../../shared/call-field-table.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { callsStreamResponse } from '../calls-stream-response.js';
import { jsonPageStream, jsonTexts } from '../json-page-stream.js';
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
    // Big values stay in the store: each JSON field is capped (DEFAULTS.pageValueBytes, less on a
    // long page, so that the page fits DEFAULTS.pageBytes), and the page is streamed.
    const byBudget = Math.floor(deps.pageBytes / ((pageSize + 1) * JSON_FIELDS.length));
    const over = Math.max(
      MIN_TRUNCATE_BYTES,
      Math.min(query.truncate_values_over ?? deps.pageValueBytes, deps.pageValueBytes, byBudget),
    );
    const page = { ...query, offset, limit: pageSize + 1, truncate_values_over: over };
    // On SQLite the page is read in the store worker: reaching a large call's row loads its whole
    // record (~25 ms for 30 MiB), which must not hold the event loop (offload/store-offload.ts).
    const rows = deps.offload?.exclusiveWrites
      ? deps.offload.page(page)
      : (store.queryCallsJson?.(page) ?? jsonTexts(store.queryCalls(page)));
    const stream = await jsonPageStream(rows, {
      pageSize,
      nextCursor: (more) => (more ? encodeCursor(query, offset + pageSize) : null),
      chunkBytes: deps.streamChunkBytes,
      onError: (err) => deps.log(`weft: /calls/query failed mid-stream: ${String(err)}`),
    });
    return c.body(stream, 200, { 'content-type': 'application/json; charset=utf-8' });
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
    const id = r.string('id');
    if (deps.offload) {
      // The call is loaded and serialised in the store worker: the UI's "show full" of a 30 MiB value
      // must not hold the event loop (offload/store-offload.ts; on ClickHouse it held it ~230 ms).
      const body = await deps.offload.readCallBody(projectId, id);
      return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' });
    }
    const call = await store.readCall(projectId, id);
    return c.json({ call });
  });

  return app;
}
