import type { ExampleResult } from '../../../lib/evaluation-shape.js';
import { scoreKeys } from '../../../lib/evaluation-shape.js';
import { formatDuration, peek } from '../../../lib/call-format.js';
import { tracePath } from '../../../lib/ui-routes.js';
import { StatusBadge } from '../../components/status-badge.js';
import { navigate } from '../../router/navigation.js';
import { ScoreValue } from './score-format.js';

/** One row per example and trial: its inputs, the model's output and each score; a click opens its trace. */
export function ExamplesTable({
  projectId,
  traceId,
  examples,
  trials,
}: {
  projectId: string;
  traceId: string | null;
  examples: ExampleResult[];
  trials: number;
}) {
  const keys = scoreKeys(examples);
  return (
    <div className="table-wrap">
      <table className="data-table examples-table" data-testid="examples-table">
        <thead>
          <tr>
            <th className="col-index">#</th>
            <th className="col-status">Status</th>
            <th>Inputs</th>
            <th>Output</th>
            {keys.map((k) => (
              <th key={k} className="col-score">
                {k}
              </th>
            ))}
            <th className="col-num">Latency</th>
          </tr>
        </thead>
        <tbody>
          {examples.map((e) => (
            <tr
              key={e.callId}
              className="clickable"
              onClick={() => traceId && navigate(tracePath(projectId, traceId, e.callId))}
            >
              <td className="col-index mono">
                {e.rowIndex ?? '–'}
                {trials > 1 && <span className="muted">.{e.trial}</span>}
              </td>
              <td className="col-status">
                <StatusBadge status={e.status} compact />
              </td>
              <td className="col-peek">
                <span className="peek">{peek(e.example)}</span>
              </td>
              <td className="col-peek">
                {e.exception ? (
                  <span className="peek peek-error">{e.exception.split('\n')[0]}</span>
                ) : (
                  <span className="peek">{peek(e.output)}</span>
                )}
              </td>
              {keys.map((k) => (
                <td key={k} className="col-score">
                  <ScoreValue value={e.scores[k]} />
                </td>
              ))}
              <td className="col-num">{formatDuration(e.latencyMs)}</td>
            </tr>
          ))}
          {examples.length === 0 && (
            <tr>
              <td colSpan={5 + keys.length} className="no-rows">
                No examples yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
