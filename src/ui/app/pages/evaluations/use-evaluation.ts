import type { ExampleResult, EvaluationInfo } from '../../../lib/evaluation-shape.js';
import {
  PREDICT_AND_SCORE_OP,
  readEvaluation,
  readExample,
  sortExamples,
} from '../../../lib/evaluation-shape.js';
import { TransportError } from '../../../../shared/errors.js';
import { readCall, streamCalls } from '../../api/weft-api.js';
import { useAsync } from '../../hooks/use-async.js';
import { useInterval } from '../../hooks/use-interval.js';

/** Defaults of {@link useEvaluation}. */
export const DEFAULTS = {
  /** While the evaluation runs, load it again this often (ms). @default 2000 */
  pollMs: 2000,
};

export interface LoadedEvaluation {
  info: EvaluationInfo;
  examples: ExampleResult[];
}

/** Loads one evaluation (its root call and its examples), again and again while it runs. */
export async function loadEvaluation(
  projectId: string,
  callId: string,
  signal?: AbortSignal,
): Promise<LoadedEvaluation> {
  const [root, children] = await Promise.all([
    readCall(projectId, callId, signal),
    streamCalls(
      {
        project_id: projectId,
        filter: { parent_ids: [callId], op_names: [PREDICT_AND_SCORE_OP] },
        sort_by: [{ field: 'started_at', direction: 'asc' }],
        columns: ['id', 'trace_id', 'inputs', 'output', 'exception', 'started_at', 'ended_at'],
      },
      signal,
    ),
  ]);
  if (!root)
    throw new TransportError(`evaluation ${callId} not found in ${projectId}`, {
      status: 404,
      retryable: false,
    });
  return { info: readEvaluation(root), examples: sortExamples(children.map(readExample)) };
}

export function useEvaluation(projectId: string, callId: string) {
  const state = useAsync((signal) => loadEvaluation(projectId, callId, signal), [projectId, callId]);
  useInterval(state.reload, DEFAULTS.pollMs, state.data?.info.status === 'running');
  return state;
}
