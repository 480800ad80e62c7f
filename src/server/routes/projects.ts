import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../app-env.js';
import { canAccessProject } from '../auth.js';

/** `GET /api/projects`: the projects the caller can see, for the web UI. */
export function projectsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api/projects', async (c) => {
    const projects = await deps.store.listProjects();
    return c.json({ projects: projects.filter((p) => canAccessProject(c.var.principal, p.project_id)) });
  });

  return app;
}
