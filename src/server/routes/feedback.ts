import { Hono } from 'hono';
import { ValidationError } from '../../shared/errors.js';
import type { FeedbackCreate, FeedbackQuery } from '../../store/trace-store.js';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { authorizeProject } from '../auth.js';
import { readJsonObject } from '../read-body.js';
import { FieldReader } from '../validation/field-reader.js';
import { checkJsonValue } from '../validation/json-value.js';
import { checkProjectId } from '../validation/project-id.js';
import { parseQueryExpr } from '../validation/query-expr.js';
import { parseSortBy } from '../validation/sort-by.js';

/** `weave:///{entity}/{project}/call/{id}` */
const CALL_REF = /^weave:\/\/\/([^/]+\/[^/]+)\/call\/([^/]+)$/;

/** Feedback on calls (reactions, notes, scores): `/feedback/create`, `/feedback/query`. */
export function feedbackRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { store } = deps;

  app.post('/feedback/create', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const ref = r.string('weave_ref');
    const match = CALL_REF.exec(ref);
    if (!match) {
      throw new ValidationError(
        'weave_ref',
        `expected a call ref weave:///{entity}/{project}/call/{id}, got ${JSON.stringify(ref)}`,
      );
    }
    if (match[1] !== projectId) {
      r.fail(
        'weave_ref',
        `references project ${match[1] ?? ''}, but the feedback is for project ${projectId}`,
      );
    }
    const payload = r.object('payload');
    checkJsonValue(payload, 'payload');
    const feedback: FeedbackCreate = {
      project_id: projectId,
      weave_ref: ref,
      feedback_type: r.string('feedback_type'),
      payload,
      creator: r.nullableString('creator'),
      wb_user_id: r.nullableString('wb_user_id'),
    };
    const record = await store.createFeedback(feedback);
    return c.json({
      id: record.id,
      created_at: record.created_at,
      wb_user_id: record.wb_user_id ?? null,
      payload: record.payload,
    });
  });

  app.post('/feedback/query', async (c) => {
    const r = FieldReader.of(await readJsonObject(c.req.raw, deps.maxBodyBytes), '');
    const projectId = checkProjectId(r.string('project_id'), 'project_id');
    authorizeProject(c.var.principal, projectId, 'project_id');
    const query: FeedbackQuery = { project_id: projectId };
    if (r.has('query')) query.query = parseQueryExpr(r.any('query'), 'query');
    const sortBy = parseSortBy(r);
    if (sortBy) query.sort_by = sortBy;
    const limit = r.optionalInteger('limit', 0);
    if (limit !== undefined) query.limit = limit;
    const offset = r.optionalInteger('offset', 0);
    if (offset !== undefined) query.offset = offset;
    return c.json({ result: await store.queryFeedback(query) });
  });

  return app;
}
