import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { FieldReader, isJsonObject, kindOf } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Content-addressed tables of rows (dataset contents): `/table/create`, `/table/query`. */
export function tablesRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/table/create', async (c) => {
    const body = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const table = body.child('table');
    const projectId = checkProjectId(table.string('project_id'), table.at('project_id'));
    authorizeProject(c.var.principal, projectId, table.at('project_id'));
    const rows = table.array('rows');
    rows.forEach((row, i) => {
      if (!isJsonObject(row))
        throw new ValidationError(`${table.at('rows')}[${i}]`, `expected an object, got ${kindOf(row)}`);
    });
    return c.json(await store.createTable(projectId, rows));
  });

  app.post('/table/query', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const digest = r.string('digest');
    const options: { limit?: number; offset?: number } = {};
    const limit = r.optionalInteger('limit', 0);
    if (limit !== undefined) options.limit = limit;
    const offset = r.optionalInteger('offset', 0);
    if (offset !== undefined) options.offset = offset;
    const rows = await store.queryTable(projectId, digest, options);
    if (!rows) throw new NotFoundError(`table ${digest} not found in project ${projectId}`);
    return c.json({ rows });
  });

  return app;
}
