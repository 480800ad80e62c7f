import type { EvaluationInfo, ExampleResult } from '../../../lib/evaluation-shape.js';
import { flattenAggregates } from '../../../lib/evaluation-shape.js';
import { formatDuration } from '../../../lib/call-format.js';
import { formatMetric } from './score-format.js';

/** The evaluation's summary: one card per score, then examples, errors and model latency. */
export function ScoreCards({ info, examples }: { info: EvaluationInfo; examples: ExampleResult[] }) {
  const metrics = info.summary ? flattenAggregates(info.summary.scores) : [];
  const expected = info.dataset?.rowCount != null ? info.dataset.rowCount * info.trials : null;
  const errors = info.summary?.errorCount ?? examples.filter((e) => e.status === 'error').length;
  return (
    <div className="score-cards" data-testid="score-cards">
      {metrics.map((m) => (
        <div key={m.key} className="score-card" data-metric={m.key}>
          <div className="score-card-label">{m.key}</div>
          <div className="score-card-value">{formatMetric(m)}</div>
          <div className="score-card-sub">
            {m.kind === 'fraction' ? `${m.trueCount ?? '?'} true` : 'mean'}
          </div>
        </div>
      ))}
      {info.status === 'running' && (
        <div className="score-card running">
          <div className="score-card-label">Progress</div>
          <div className="score-card-value live">
            {examples.length}
            {expected !== null ? ` / ${expected}` : ''}
          </div>
          <div className="score-card-sub">examples done; scores when it ends</div>
        </div>
      )}
      <div className="score-card neutral">
        <div className="score-card-label">Examples</div>
        <div className="score-card-value">{info.summary?.exampleCount ?? examples.length}</div>
        <div className={`score-card-sub${errors > 0 ? ' error-text' : ''}`}>
          {errors} error{errors === 1 ? '' : 's'}
        </div>
      </div>
      {info.summary?.latency && (
        <div className="score-card neutral">
          <div className="score-card-label">Model latency</div>
          <div className="score-card-value">{formatDuration(info.summary.latency.p50)}</div>
          <div className="score-card-sub">
            p50 · p95 {formatDuration(info.summary.latency.p95)} · mean{' '}
            {formatDuration(info.summary.latency.mean)}
          </div>
        </div>
      )}
    </div>
  );
}
