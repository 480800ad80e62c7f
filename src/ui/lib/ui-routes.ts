/**
 * The web UI's client-side routes: `/projects/{entity}/{project}/...`. Pure (no DOM), so Node's test
 * runner covers it; the server answers every path under `/projects/` with the app (`static-ui.ts`).
 */
export type UiRoute =
  | { page: 'projects' }
  | { page: 'calls'; projectId: string }
  | { page: 'trace'; projectId: string; traceId: string }
  | { page: 'evaluations'; projectId: string }
  | { page: 'evaluation'; projectId: string; callId: string }
  | { page: 'compare'; projectId: string }
  | { page: 'not-found'; path: string };

/** The route of a location's path (the query string is each page's own business). */
export function parseRoute(pathname: string): UiRoute {
  const parts = pathname.split('/').filter((p) => p !== '');
  let segments: string[];
  try {
    segments = parts.map((p) => decodeURIComponent(p));
  } catch {
    return { page: 'not-found', path: pathname };
  }
  if (segments.length === 0 || (segments.length === 1 && segments[0] === 'projects')) {
    return { page: 'projects' };
  }
  const [head, entity, project, section, id, ...rest] = segments;
  if (head !== 'projects' || entity === undefined || project === undefined || rest.length > 0) {
    return { page: 'not-found', path: pathname };
  }
  const projectId = `${entity}/${project}`;
  if (section === undefined || (section === 'calls' && id === undefined)) return { page: 'calls', projectId };
  if (section === 'traces' && id !== undefined) return { page: 'trace', projectId, traceId: id };
  if (section === 'evaluations') {
    return id === undefined
      ? { page: 'evaluations', projectId }
      : { page: 'evaluation', projectId, callId: id };
  }
  if (section === 'compare' && id === undefined) return { page: 'compare', projectId };
  return { page: 'not-found', path: pathname };
}

/** The path of a route (without a query string). */
export function routePath(route: UiRoute): string {
  if (route.page === 'projects') return '/';
  if (route.page === 'not-found') return route.path;
  const base = `/projects/${route.projectId.split('/').map(encodeURIComponent).join('/')}`;
  switch (route.page) {
    case 'calls':
      return `${base}/calls`;
    case 'trace':
      return `${base}/traces/${encodeURIComponent(route.traceId)}`;
    case 'evaluations':
      return `${base}/evaluations`;
    case 'evaluation':
      return `${base}/evaluations/${encodeURIComponent(route.callId)}`;
    case 'compare':
      return `${base}/compare`;
  }
}

/** Path of a trace with one of its calls selected. */
export function tracePath(projectId: string, traceId: string, callId?: string): string {
  const path = routePath({ page: 'trace', projectId, traceId });
  return callId === undefined ? path : `${path}?call=${encodeURIComponent(callId)}`;
}

/** Path of the side-by-side comparison of two evaluations. */
export function comparePath(projectId: string, ids: readonly string[]): string {
  const search = new URLSearchParams();
  for (const id of ids) search.append('id', id);
  return `${routePath({ page: 'compare', projectId })}?${search.toString()}`;
}
