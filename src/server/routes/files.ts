import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readBody, readJsonObject } from '../read-body.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkProjectId } from '../validation/project-id.js';

/** Content-addressed files: `/file/create` (multipart `project_id` + `file`), `/file/content`. */
export function filesRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/file/create', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
      throw new ValidationError(
        'body',
        'expected a multipart/form-data body with fields project_id and file',
      );
    }
    const bytes = await readBody(c.req.raw, deps.maxBodyBytes);
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
    } catch (err) {
      throw new ValidationError('body', `malformed multipart body (${(err as Error).message})`);
    }
    const project = form.get('project_id');
    if (typeof project !== 'string') throw new ValidationError('project_id', 'is required (a text field)');
    const projectId = checkProjectId(project, 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const file = form.get('file');
    if (file === null || typeof file === 'string')
      throw new ValidationError('file', 'is required (a file field)');
    const content = Buffer.from(await file.arrayBuffer());
    const digest = await store.createFile(projectId, file.name || 'file', content);
    return c.json({ digest });
  });

  app.post('/file/content', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const digest = r.string('digest');
    const content = await store.readFile(projectId, digest);
    if (!content) throw new NotFoundError(`file ${digest} not found in project ${projectId}`);
    return c.body(new Uint8Array(content), 200, {
      'content-type': 'application/octet-stream',
    });
  });

  return app;
}
