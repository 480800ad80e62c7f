import type { Context, Hono, NotFoundHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/**
 * The app's fallback: 405 with `Allow` when the path exists under other methods, else 404, both as JSON.
 * Route patterns are read from `app.routes` on first use, so they include every mounted group.
 */
export function methodNotAllowedOrNotFound(app: Hono<AppEnv>): NotFoundHandler<AppEnv> {
  let patterns: { regex: RegExp; method: string }[] | undefined;
  return (c: Context<AppEnv>) => {
    patterns ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ regex: patternToRegex(r.path), method: r.method }));
    const allowed = [...new Set(patterns.filter((p) => p.regex.test(c.req.path)).map((p) => p.method))];
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return c.json(
        { error: `method ${c.req.method} not allowed on ${c.req.path}; use ${allowed.join(' or ')}` },
        405,
      );
    }
    return c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404);
  };
}

function patternToRegex(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
