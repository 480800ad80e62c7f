import { Hono } from 'hono';
import { NotFoundError } from '../../shared/errors.js';
import type { ObjectsQuery } from '../../store/trace-store.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Object names: no slash, colon or whitespace (they appear in refs `.../object/{name}:{digest}`). */
const OBJECT_ID = /^[^/:\s]{1,128}$/;

/** Versioned, content-addressed objects (ops, datasets, models): `/obj/create`, `/obj/read`, `/objs/query`. */
export function objectsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/obj/create', async (c) => {
    const body = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const obj = body.child('obj');
    const projectId = checkProjectId(obj.string('project_id'), obj.at('project_id'));
    authorizeProject(c.var.principal, projectId, obj.at('project_id'));
    const objectId = readObjectId(obj);
    if (!('val' in obj.value)) obj.fail('val', 'is required');
    const digest = await store.createObject({
      project_id: projectId,
      object_id: objectId,
      val: obj.any('val'),
      base_object_class:
        obj.nullableString('base_object_class') ?? obj.nullableString('builtin_object_class'),
    });
    return c.json({ digest });
  });

  app.post('/obj/read', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const objectId = readObjectId(r);
    const digest = r.string('digest');
    const obj = await store.readObject(projectId, objectId, digest);
    if (!obj) throw new NotFoundError(`object ${objectId}:${digest} not found in project ${projectId}`);
    return c.json({ obj });
  });

  app.post('/objs/query', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const query: ObjectsQuery = { project_id: projectId };
    const f = r.optionalChild('filter');
    if (f) {
      const filter: NonNullable<ObjectsQuery['filter']> = {};
      const objectIds = f.optionalStringArray('object_ids');
      if (objectIds) filter.object_ids = objectIds;
      const latestOnly = f.optionalBoolean('latest_only');
      if (latestOnly !== undefined) filter.latest_only = latestOnly;
      const classes = f.optionalStringArray('base_object_classes');
      if (classes) filter.base_object_classes = classes;
      for (const key of Object.keys(f.value)) {
        if (!['object_ids', 'latest_only', 'base_object_classes'].includes(key) && f.has(key)) {
          f.fail(key, 'is not a known object filter field');
        }
      }
      query.filter = filter;
    }
    const limit = r.optionalInteger('limit', 0);
    if (limit !== undefined) query.limit = limit;
    const offset = r.optionalInteger('offset', 0);
    if (offset !== undefined) query.offset = offset;
    return c.json({ objs: await store.queryObjects(query) });
  });

  return app;
}

function readObjectId(r: FieldReader): string {
  const id = r.string('object_id');
  if (!OBJECT_ID.test(id)) {
    r.fail('object_id', 'must be 1 to 128 characters without "/", ":" or whitespace');
  }
  return id;
}
