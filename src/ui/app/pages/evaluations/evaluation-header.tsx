import type { EvaluationInfo } from '../../../lib/evaluation-shape.js';
import { formatDuration, formatTimestamp } from '../../../lib/call-format.js';
import { StatusBadge } from '../../components/status-badge.js';

/** Name, status, model, dataset, trials and timing of an evaluation. */
export function EvaluationFacts({ info, now }: { info: EvaluationInfo; now: number }) {
  const end = info.endedAt ? Date.parse(info.endedAt) : info.status === 'running' ? now : null;
  const duration = info.startedAt && end !== null ? end - Date.parse(info.startedAt) : null;
  return (
    <dl className="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={info.status} />
        </dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd className="mono">{info.model}</dd>
      </div>
      <div>
        <dt>Dataset</dt>
        <dd>
          {info.dataset ? (
            <>
              {info.dataset.name}
              {info.dataset.rowCount !== null && (
                <span className="muted"> · {info.dataset.rowCount} rows</span>
              )}
            </>
          ) : (
            <span className="muted">–</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Scorers</dt>
        <dd>{info.scorers.length > 0 ? info.scorers.join(', ') : <span className="muted">–</span>}</dd>
      </div>
      {info.trials > 1 && (
        <div>
          <dt>Trials</dt>
          <dd>{info.trials}</dd>
        </div>
      )}
      <div>
        <dt>Started</dt>
        <dd>{formatTimestamp(info.startedAt)}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd className={info.status === 'running' ? 'live' : ''}>{formatDuration(duration)}</dd>
      </div>
    </dl>
  );
}
