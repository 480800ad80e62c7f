import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { parseRoute } from '../lib/ui-routes.js';
import { onAuthRequired } from './api/api-client.js';
import { getApiKey, subscribeApiKey } from './api/api-key-store.js';
import { ApiKeyDialog } from './components/api-key-dialog.js';
import { TopBar } from './components/top-bar.js';
import { CallsPage } from './pages/calls/calls-page.js';
import { ComparePage } from './pages/evaluations/compare-page.js';
import { EvaluationPage } from './pages/evaluations/evaluation-page.js';
import { EvaluationsPage } from './pages/evaluations/evaluations-page.js';
import { ProjectsPage } from './pages/projects-page.js';
import { TracePage } from './pages/trace/trace-page.js';
import { Link } from './router/link.js';
import { useLocation } from './router/navigation.js';

/** The app shell: header, the page of the current route, and the API key dialog. */
export function App() {
  const location = useLocation();
  const route = parseRoute(location.pathname);
  const apiKey = useSyncExternalStore(subscribeApiKey, getApiKey);
  const [keyDialog, setKeyDialog] = useState<{ reason: string | null } | null>(null);
  useEffect(() => onAuthRequired((reason) => setKeyDialog({ reason })), []);

  let page: ReactNode;
  switch (route.page) {
    case 'projects':
      page = <ProjectsPage />;
      break;
    case 'calls':
      page = <CallsPage projectId={route.projectId} search={location.search} />;
      break;
    case 'trace':
      page = (
        // One mount per trace: nothing of the previous trace (its tree, folds, polls) carries over.
        <TracePage
          key={`${route.projectId}/${route.traceId}`}
          projectId={route.projectId}
          traceId={route.traceId}
          selected={location.search.get('call')}
        />
      );
      break;
    case 'evaluations':
      page = <EvaluationsPage projectId={route.projectId} />;
      break;
    case 'evaluation':
      page = <EvaluationPage projectId={route.projectId} callId={route.callId} />;
      break;
    case 'compare':
      page = <ComparePage projectId={route.projectId} ids={location.search.getAll('id')} />;
      break;
    case 'not-found':
      page = (
        <div className="page">
          <div className="empty-state">
            <h2>Page not found</h2>
            <p className="muted">
              Nothing lives at <code>{route.path}</code>. <Link to="/">Back to the projects</Link>.
            </p>
          </div>
        </div>
      );
      break;
  }
  return (
    <div className="app">
      <TopBar route={route} hasKey={apiKey !== null} onApiKey={() => setKeyDialog({ reason: null })} />
      {/* Remount pages when the key changes, so that every page loads again with it. */}
      <main className="main" key={apiKey ?? ''}>
        {page}
      </main>
      {keyDialog && <ApiKeyDialog reason={keyDialog.reason} onClose={() => setKeyDialog(null)} />}
    </div>
  );
}
