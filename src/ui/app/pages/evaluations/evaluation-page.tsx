import { routePath, tracePath } from '../../../lib/ui-routes.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useNow } from '../../hooks/use-interval.js';
import { Link } from '../../router/link.js';
import { EvaluationFacts } from './evaluation-header.js';
import { ExamplesTable } from './examples-table.js';
import { ScoreCards } from './score-cards.js';
import { useEvaluation } from './use-evaluation.js';

/** One evaluation: its summary scores and the per-example table; live while it runs. */
export function EvaluationPage({ projectId, callId }: { projectId: string; callId: string }) {
  const evaluation = useEvaluation(projectId, callId);
  const data = evaluation.data;
  const now = useNow(1000, data?.info.status === 'running');
  return (
    <div className="page page-evaluation">
      <div className="page-header">
        <Link to={routePath({ page: 'evaluations', projectId })} className="back-link">
          ← Evaluations
        </Link>
        <h1 data-testid="evaluation-title">{data?.info.name ?? 'Evaluation'}</h1>
        <span className="spacer" />
        {data?.info.traceId && (
          <Link to={tracePath(projectId, data.info.traceId, callId)} className="btn btn-small">
            Open trace
          </Link>
        )}
      </div>
      {evaluation.error && <ErrorBanner error={evaluation.error} onRetry={evaluation.reload} />}
      {!data && !evaluation.error && <div className="loading">Loading evaluation…</div>}
      {data && (
        <>
          <EvaluationFacts info={data.info} now={now} />
          {data.info.exception && (
            <pre className="exception" data-testid="evaluation-exception">
              {data.info.exception}
            </pre>
          )}
          <h2 className="section-heading">Scores</h2>
          <ScoreCards info={data.info} examples={data.examples} />
          <h2 className="section-heading">
            Examples <span className="muted">{data.examples.length}</span>
          </h2>
          <ExamplesTable
            projectId={projectId}
            traceId={data.info.traceId}
            examples={data.examples}
            trials={data.info.trials}
          />
        </>
      )}
    </div>
  );
}
