import { useState } from 'react';
import type { EvaluationInfo } from '../../../lib/evaluation-shape.js';
import { EVALUATE_OP, flattenAggregates, readEvaluation } from '../../../lib/evaluation-shape.js';
import { formatDuration, formatTimestamp } from '../../../lib/call-format.js';
import { comparePath, routePath } from '../../../lib/ui-routes.js';
import { streamCalls } from '../../api/weft-api.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { StatusBadge } from '../../components/status-badge.js';
import { useAsync } from '../../hooks/use-async.js';
import { useInterval } from '../../hooks/use-interval.js';
import { Link } from '../../router/link.js';
import { navigate } from '../../router/navigation.js';
import { formatMetric } from './score-format.js';

/** Defaults of the evaluations page. */
export const DEFAULTS = {
  /** While an evaluation runs (or there is none), load the list again this often (ms). @default 3000 */
  pollMs: 3000,
};

/** Lists a project's evaluations, newest first, the way the SDK contract says to. */
export async function listEvaluations(projectId: string, signal?: AbortSignal): Promise<EvaluationInfo[]> {
  const calls = await streamCalls(
    {
      project_id: projectId,
      filter: { op_names: [EVALUATE_OP] },
      sort_by: [{ field: 'started_at', direction: 'desc' }],
    },
    signal,
  );
  return calls.map(readEvaluation);
}

/** A project's evaluations with their headline scores; pick two to compare them side by side. */
export function EvaluationsPage({ projectId }: { projectId: string }) {
  const list = useAsync((signal) => listEvaluations(projectId, signal), [projectId]);
  const [picked, setPicked] = useState<string[]>([]);
  const evaluations = list.data ?? [];
  const watching =
    list.data !== undefined && (evaluations.length === 0 || evaluations.some((e) => e.status === 'running'));
  useInterval(list.reload, DEFAULTS.pollMs, watching);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const now = Date.now();
  return (
    <div className="page">
      <div className="page-header">
        <h1>Evaluations</h1>
        {list.data && (
          <span className="muted">
            {evaluations.length} evaluation{evaluations.length === 1 ? '' : 's'}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-primary"
          disabled={picked.length !== 2}
          onClick={() => navigate(comparePath(projectId, picked))}
          data-testid="compare-button"
        >
          Compare {picked.length === 2 ? '2' : `(${picked.length}/2)`}
        </button>
      </div>
      {list.error && <ErrorBanner error={list.error} onRetry={list.reload} />}
      {list.data && evaluations.length === 0 && (
        <EmptyState title="No evaluations in this project yet" projectId={projectId}>
          Evaluations show here when the SDK runs an <code>Evaluation</code> or an{' '}
          <code>EvaluationLogger</code> in this project. First, connect the SDK:
        </EmptyState>
      )}
      {evaluations.length > 0 && (
        <div className="table-wrap">
          <table className="data-table evaluations-table" data-testid="evaluations-table">
            <thead>
              <tr>
                <th className="col-check" />
                <th>Evaluation</th>
                <th>Model</th>
                <th>Dataset</th>
                <th className="col-status">Status</th>
                <th>Scores</th>
                <th>Started</th>
                <th className="col-num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {evaluations.map((e) => {
                const metrics = e.summary ? flattenAggregates(e.summary.scores) : [];
                const end = e.endedAt ? Date.parse(e.endedAt) : e.status === 'running' ? now : null;
                return (
                  <tr key={e.callId} data-call-id={e.callId}>
                    <td className="col-check">
                      <input
                        type="checkbox"
                        aria-label={`Select ${e.name}`}
                        checked={picked.includes(e.callId)}
                        onChange={() => toggle(e.callId)}
                      />
                    </td>
                    <td>
                      <Link
                        to={routePath({ page: 'evaluation', projectId, callId: e.callId })}
                        className="call-name"
                      >
                        {e.name}
                      </Link>
                    </td>
                    <td className="mono">{e.model}</td>
                    <td>{e.dataset?.name ?? <span className="muted">–</span>}</td>
                    <td className="col-status">
                      <StatusBadge status={e.status} />
                    </td>
                    <td>
                      <span className="metric-chips">
                        {metrics.slice(0, 4).map((m) => (
                          <span key={m.key} className="metric-chip">
                            {m.key} <strong>{formatMetric(m)}</strong>
                          </span>
                        ))}
                        {metrics.length > 4 && <span className="muted">+{metrics.length - 4}</span>}
                      </span>
                    </td>
                    <td>{formatTimestamp(e.startedAt)}</td>
                    <td className="col-num">
                      {formatDuration(end !== null && e.startedAt ? end - Date.parse(e.startedAt) : null)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!list.data && !list.error && <div className="loading">Loading evaluations…</div>}
    </div>
  );
}
