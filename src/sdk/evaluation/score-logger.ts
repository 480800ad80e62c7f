import { ManualCall } from '../manual-call.js';
import { fieldsOf, setField, type PredictAndScoreOutput } from './call-shape.js';
import { snapshotScore, type PredictionOutcome, type ScoreValue } from './summary.js';

/** What a ScoreLogger reports to: its EvaluationLogger. */
export interface PredictionSink {
  readonly name: string;
  readonly summarized: boolean;
  warn(key: string, message: string): void;
  predictionFinished(pred: ScoreLogger, outcome: PredictionOutcome): void;
}

/**
 * Adds scores to one prediction of an EvaluationLogger (what `logPrediction` returns). Each
 * `logScore` records a scorer call under the prediction's `predict_and_score` call; `finish()` ends
 * that call. Its methods never throw.
 */
export class ScoreLogger {
  private readonly recorded: Record<string, unknown> = {};
  private readonly scores: Record<string, ScoreValue> = {};
  private done: boolean;

  /** @internal created by `EvaluationLogger.logPrediction`; without a sink it is inert. */
  constructor(
    private readonly call: ManualCall | undefined,
    private readonly inputs: unknown,
    private readonly output: unknown,
    private readonly sink: PredictionSink | undefined,
  ) {
    this.done = sink === undefined;
  }

  /** True once `finish()` was called (or `logSummary` finished it). */
  get finished(): boolean {
    return this.done;
  }

  /**
   * Records a score as a call named `name` under this prediction (inputs: the prediction's inputs
   * plus `output`; output: the value). Booleans, numbers and objects of them aggregate in the summary;
   * other values are recorded only. Logging a name again records another call; the last value counts.
   */
  logScore(name: string, value: unknown): void {
    const sink = this.sink;
    if (!sink) return;
    if (this.done) {
      sink.warn(
        sink.summarized ? 'score-after-summary' : 'score-after-finish',
        `logScore(${String(name)}) on a finished prediction of evaluation ${sink.name}: ignored`,
      );
      return;
    }
    if (typeof name !== 'string' || name === '') {
      sink.warn(
        'score-name',
        `logScore: a score name must be a non-empty string, got ${String(name)}; ignored`,
      );
      return;
    }
    try {
      const scorerInputs = fieldsOf(this.inputs);
      setField(scorerInputs, 'output', this.output);
      ManualCall.start({ opName: name, inputs: scorerInputs, parent: this.call }).end(value);
      setField(this.recorded, name, value);
      setField(this.scores, name, snapshotScore(value));
    } catch (err) {
      sink.warn('internal', `internal error in logScore (your code ran normally): ${String(err)}`);
    }
  }

  /** Ends the prediction. Later calls do nothing. */
  finish(): void {
    if (this.done || !this.sink) return;
    this.done = true;
    const out: PredictAndScoreOutput = { output: this.output, scores: this.recorded, model_latency_ms: null };
    this.call?.end(out);
    this.sink.predictionFinished(this, { scores: this.scores, errors: 0 });
  }
}
