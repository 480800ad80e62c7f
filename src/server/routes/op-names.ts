import { Hono } from 'hono';
import type { TraceStore } from '../../store/trace-store.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Defaults of `/api/op_names`. */
export const DEFAULTS = {
  /**
   * Most op names returned (and the cap of `limit`); the answer says `truncated: true` past it.
   * @default 1000
   */
  maxOpNames: 1000,
};

/**
 * `POST /api/op_names` `{ project_id, limit? }` -> `{ op_names, truncated }`: the distinct op names of a
 * project, sorted, for the web UI's op filter. Each name costs one index seek (the next name after the
 * last one found, ordered like the `(project_id, op_name, started_at)` index), so it is cheap however
 * many calls the project holds.
 */
export function opNamesRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/api/op_names', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const limit = r.optionalInteger('limit', 1, DEFAULTS.maxOpNames) ?? DEFAULTS.maxOpNames;
    const names = await distinctOpNames(deps.store, projectId, limit + 1);
    return c.json({ op_names: names.slice(0, limit), truncated: names.length > limit });
  });
  return app;
}

/** Up to `max` distinct non-empty op names of a project, ascending. */
export async function distinctOpNames(store: TraceStore, projectId: string, max: number): Promise<string[]> {
  const names: string[] = [];
  let last = '';
  while (names.length < max) {
    let next: string | undefined;
    for await (const call of store.queryCalls({
      project_id: projectId,
      query: { $expr: { $gt: [{ $getField: 'op_name' }, { $literal: last }] } },
      sort_by: [
        { field: 'op_name', direction: 'asc' },
        { field: 'started_at', direction: 'asc' },
      ],
      limit: 1,
      columns: ['op_name'],
    })) {
      next = call.op_name ?? undefined;
    }
    if (next === undefined) break;
    names.push(next);
    last = next;
  }
  return names;
}
