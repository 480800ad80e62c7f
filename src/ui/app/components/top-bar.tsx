import type { UiRoute } from '../../lib/ui-routes.js';
import { routePath } from '../../lib/ui-routes.js';
import { Link } from '../router/link.js';
import { KeyIcon } from './icons.js';

/** The header: logo, project breadcrumb, the project's sections, and the API key button. */
export function TopBar({
  route,
  onApiKey,
  hasKey,
}: {
  route: UiRoute;
  onApiKey: () => void;
  hasKey: boolean;
}) {
  const projectId = 'projectId' in route ? route.projectId : null;
  const section =
    route.page === 'calls' || route.page === 'trace'
      ? 'traces'
      : route.page === 'evaluations' || route.page === 'evaluation' || route.page === 'compare'
        ? 'evaluations'
        : null;
  return (
    <header className="top-bar">
      <Link to="/" className="logo" aria-label="weft home">
        <img src="/favicon.svg" alt="" width={20} height={20} />
        <span>weft</span>
      </Link>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/">Projects</Link>
        {projectId && (
          <>
            <span className="sep">/</span>
            <span className="crumb-entity">{projectId.split('/')[0]}</span>
            <span className="sep">/</span>
            <Link to={routePath({ page: 'calls', projectId })} className="crumb-project">
              {projectId.split('/')[1]}
            </Link>
          </>
        )}
      </nav>
      {projectId && (
        <nav className="tabs" aria-label="Sections">
          <Link
            to={routePath({ page: 'calls', projectId })}
            className={section === 'traces' ? 'tab active' : 'tab'}
          >
            Traces
          </Link>
          <Link
            to={routePath({ page: 'evaluations', projectId })}
            className={section === 'evaluations' ? 'tab active' : 'tab'}
          >
            Evaluations
          </Link>
        </nav>
      )}
      <div className="top-bar-right">
        <button type="button" className="btn btn-ghost" onClick={onApiKey} title="API key">
          <KeyIcon /> {hasKey ? 'API key set' : 'API key'}
        </button>
      </div>
    </header>
  );
}
