import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Changes to stored calls: `/calls/delete` (with descendants) and `/call/update` (display name). */
export function callsUpdateRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/calls/delete', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    r.array('call_ids');
    const ids = r.optionalStringArray('call_ids') ?? [];
    const empty = ids.findIndex((id) => id === '');
    if (empty >= 0) throw new ValidationError(`call_ids[${empty}]`, 'must not be empty');
    const num_deleted = ids.length === 0 ? 0 : await store.deleteCalls(projectId, ids);
    return c.json({ num_deleted });
  });

  app.post('/call/update', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const callId = r.string('call_id');
    if (!('display_name' in r.value))
      r.fail('display_name', 'is required (use "" or null to remove the name)');
    const displayName = r.nullableString('display_name');
    const found = await store.updateCall(projectId, callId, { display_name: displayName || null });
    if (!found) throw new NotFoundError(`call ${callId} not found in project ${projectId}`);
    return c.json({});
  });

  return app;
}
