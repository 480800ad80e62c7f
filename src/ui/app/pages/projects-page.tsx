import { formatAgo, formatCount, formatTimestamp } from '../../lib/call-format.js';
import { EXAMPLE_PROJECT } from '../../lib/sdk-snippet.js';
import { routePath } from '../../lib/ui-routes.js';
import { listProjects } from '../api/weft-api.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorBanner } from '../components/error-banner.js';
import { useAsync } from '../hooks/use-async.js';
import { useInterval } from '../hooks/use-interval.js';
import { Link } from '../router/link.js';

/** Defaults of the projects page. */
export const DEFAULTS = {
  /** While there is no project yet, look again this often (ms). @default 3000 */
  emptyPollMs: 3000,
};

/** The projects that have calls, with their call counts and last activity. */
export function ProjectsPage() {
  const projects = useAsync((signal) => listProjects(signal), []);
  const empty = projects.data !== undefined && projects.data.length === 0;
  useInterval(projects.reload, DEFAULTS.emptyPollMs, empty);
  const now = Date.now();
  return (
    <div className="page">
      <div className="page-header">
        <h1>Projects</h1>
        {projects.data && projects.data.length > 0 && (
          <span className="muted">
            {projects.data.length} project{projects.data.length === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {projects.error && <ErrorBanner error={projects.error} onRetry={projects.reload} />}
      {empty && <EmptyState title="No traces yet" projectId={EXAMPLE_PROJECT} />}
      {projects.data && projects.data.length > 0 && (
        <div className="table-wrap">
          <table className="data-table projects-table" data-testid="projects-table">
            <thead>
              <tr>
                <th>Project</th>
                <th className="num">Calls</th>
                <th>Last activity</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <tr key={p.project_id}>
                  <td>
                    <Link to={routePath({ page: 'calls', projectId: p.project_id })} className="project-link">
                      <span className="muted">{p.project_id.split('/')[0]} /</span>{' '}
                      {p.project_id.split('/')[1]}
                    </Link>
                  </td>
                  <td className="num">{formatCount(p.call_count)}</td>
                  <td title={formatTimestamp(p.last_activity)}>{formatAgo(p.last_activity, now)}</td>
                  <td className="row-links">
                    <Link to={routePath({ page: 'calls', projectId: p.project_id })}>Traces</Link>
                    <Link to={routePath({ page: 'evaluations', projectId: p.project_id })}>Evaluations</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {projects.loading && !projects.data && <div className="loading">Loading projects…</div>}
    </div>
  );
}
