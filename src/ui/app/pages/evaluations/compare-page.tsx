import type { EvaluationInfo, ScoreMetric } from '../../../lib/evaluation-shape.js';
import { compareExamples, flattenAggregates, scoreKeys, scoreNumber } from '../../../lib/evaluation-shape.js';
import { peek } from '../../../lib/call-format.js';
import { routePath } from '../../../lib/ui-routes.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { useAsync } from '../../hooks/use-async.js';
import { Link } from '../../router/link.js';
import { Delta, formatMetric, formatNumber, ScoreValue } from './score-format.js';
import { loadEvaluation } from './use-evaluation.js';

/** Two evaluations side by side: summary scores with their change, then each example's outputs and scores. */
export function ComparePage({ projectId, ids }: { projectId: string; ids: string[] }) {
  const [idA, idB] = ids;
  const both = useAsync(
    (signal) =>
      idA && idB
        ? Promise.all([loadEvaluation(projectId, idA, signal), loadEvaluation(projectId, idB, signal)])
        : Promise.resolve(null),
    [projectId, idA, idB],
  );
  if (!idA || !idB) {
    return (
      <div className="page">
        <div className="empty-state">
          <h2>Pick two evaluations</h2>
          <p className="muted">
            Select two evaluations in the <Link to={routePath({ page: 'evaluations', projectId })}>list</Link>{' '}
            and press Compare.
          </p>
        </div>
      </div>
    );
  }
  const [a, b] = both.data ?? [];
  return (
    <div className="page page-compare">
      <div className="page-header">
        <Link to={routePath({ page: 'evaluations', projectId })} className="back-link">
          ← Evaluations
        </Link>
        <h1>Compare evaluations</h1>
      </div>
      {both.error && <ErrorBanner error={both.error} onRetry={both.reload} />}
      {!both.data && !both.error && <div className="loading">Loading evaluations…</div>}
      {a && b && (
        <>
          <SummaryTable projectId={projectId} a={a.info} b={b.info} />
          <h2 className="section-heading">
            Examples <span className="muted">{compareExamples(a.examples, b.examples).length}</span>
          </h2>
          <ComparedExamples a={a} b={b} />
        </>
      )}
    </div>
  );
}

function SummaryTable({ projectId, a, b }: { projectId: string; a: EvaluationInfo; b: EvaluationInfo }) {
  const ma = new Map(flattenAggregates(a.summary?.scores ?? {}).map((m) => [m.key, m]));
  const mb = new Map(flattenAggregates(b.summary?.scores ?? {}).map((m) => [m.key, m]));
  const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const cell = (m: ScoreMetric | undefined) => (m ? formatMetric(m) : '–');
  const latency = (e: EvaluationInfo) => e.summary?.latency?.p50 ?? null;
  return (
    <div className="table-wrap">
      <table className="data-table compare-summary" data-testid="compare-summary">
        <thead>
          <tr>
            <th>Metric</th>
            {[a, b].map((e, i) => (
              <th key={e.callId} className="col-eval">
                <span className={`side-tag side-${i === 0 ? 'a' : 'b'}`}>{i === 0 ? 'A' : 'B'}</span>
                <Link to={routePath({ page: 'evaluation', projectId, callId: e.callId })}>{e.name}</Link>
                <div className="muted small mono">{e.model}</div>
              </th>
            ))}
            <th className="col-num">Change (B − A)</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const x = ma.get(k);
            const y = mb.get(k);
            return (
              <tr key={k} data-metric={k}>
                <td className="mono">{k}</td>
                <td>{cell(x)}</td>
                <td>{cell(y)}</td>
                <td className="col-num">
                  <Delta a={x?.value ?? null} b={y?.value ?? null} percent={(x ?? y)?.kind === 'fraction'} />
                </td>
              </tr>
            );
          })}
          <tr>
            <td className="muted">examples</td>
            <td>{a.summary?.exampleCount ?? '–'}</td>
            <td>{b.summary?.exampleCount ?? '–'}</td>
            <td className="col-num" />
          </tr>
          <tr>
            <td className="muted">errors</td>
            <td>{a.summary?.errorCount ?? '–'}</td>
            <td>{b.summary?.errorCount ?? '–'}</td>
            <td className="col-num" />
          </tr>
          <tr>
            <td className="muted">model latency p50 (ms)</td>
            <td>{latency(a) === null ? '–' : formatNumber(latency(a) ?? 0)}</td>
            <td>{latency(b) === null ? '–' : formatNumber(latency(b) ?? 0)}</td>
            <td className="col-num">
              <Delta a={latency(a)} b={latency(b)} />
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

type Loaded = Awaited<ReturnType<typeof loadEvaluation>>;

function ComparedExamples({ a, b }: { a: Loaded; b: Loaded }) {
  const rows = compareExamples(a.examples, b.examples);
  const keys = scoreKeys([...a.examples, ...b.examples]);
  return (
    <div className="table-wrap">
      <table className="data-table compare-examples" data-testid="compare-examples">
        <thead>
          <tr>
            <th className="col-index">#</th>
            <th>Inputs</th>
            <th>
              <span className="side-tag side-a">A</span> Output
            </th>
            <th>
              <span className="side-tag side-b">B</span> Output
            </th>
            {keys.map((k) => (
              <th key={k} className="col-score-pair">
                {k} <span className="muted">A · B</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td className="col-index mono">{r.rowIndex ?? '–'}</td>
              <td className="col-peek">
                <span className="peek">{peek(r.example)}</span>
              </td>
              {[r.a, r.b].map((e, i) => (
                <td key={i} className="col-peek">
                  {!e ? (
                    <span className="muted">–</span>
                  ) : e.exception ? (
                    <span className="peek peek-error">{e.exception.split('\n')[0]}</span>
                  ) : (
                    <span className="peek">{peek(e.output)}</span>
                  )}
                </td>
              ))}
              {keys.map((k) => {
                const x = r.a?.scores[k];
                const y = r.b?.scores[k];
                const nx = scoreNumber(x);
                const ny = scoreNumber(y);
                const cls =
                  nx !== null && ny !== null && nx !== ny ? (ny > nx ? 'pair-up' : 'pair-down') : '';
                return (
                  <td key={k} className={`col-score-pair ${cls}`}>
                    <ScoreValue value={x} /> <span className="muted">·</span> <ScoreValue value={y} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
