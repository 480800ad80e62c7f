import { consoleLogger, RateLimitedLogger } from '../../pipeline/rate-limited-logger.js';
import { withAttributes } from '../call-context.js';
import { activeClient } from '../client-registry.js';
import { ManualCall } from '../manual-call.js';
import {
  EVALUATE_OP,
  evaluationAttributes,
  fieldsOf,
  isPlainObject,
  PREDICT_AND_SCORE_OP,
  setField,
  type EvaluationRef,
  type ModelRef,
} from './call-shape.js';
import { Dataset, type DatasetRef } from './dataset.js';
import { ScoreLogger, type PredictionSink } from './score-logger.js';
import { summarize, SUMMARY_FIELDS, type EvaluationSummary, type PredictionOutcome } from './summary.js';

/** Defaults of `new EvaluationLogger()`. */
export const EVALUATION_LOGGER_DEFAULTS = {
  /** The evaluation's name (the root call's display name). @default 'evaluation' */
  name: 'evaluation',
  /** The model's name (and op name of the model calls). @default 'model' */
  model: 'model',
} as const;

export interface EvaluationLoggerOptions {
  /** Names the evaluation (the root call's display name). @default 'evaluation' */
  name?: string;
  /** The model: a name, or an object with a `name`. The model calls are named after it. @default 'model' */
  model?: string | { name?: string };
  /** The dataset: a Dataset (recorded by name, row count and digest) or a name. @default none */
  dataset?: string | Dataset<object>;
}

/**
 * Logs an evaluation imperatively, as it happens: the same calls as `Evaluation.evaluate`, driven by
 * your code. The root (`Evaluation.evaluate`) is started eagerly when the logger is created, so the
 * evaluation shows as running at once; `logPrediction` records a `predict_and_score` call with the
 * model call beneath it, `logScore` a scorer call beneath that, and `logSummary` ends the root with the
 * aggregate summary.
 *
 * It never throws into your code: misuse (logging after `logSummary`, scoring a finished prediction)
 * is a no-op with a warning. With no client initialised it records nothing but still computes the
 * summary.
 */
export class EvaluationLogger implements PredictionSink {
  readonly name: string;
  private readonly root: ManualCall;
  private readonly modelName: string;
  private readonly log: RateLimitedLogger;
  private readonly open = new Set<ScoreLogger>();
  private readonly outcomes: PredictionOutcome[] = [];
  private predictions = 0;
  private summary: EvaluationSummary | undefined;

  constructor(options: EvaluationLoggerOptions = {}) {
    const opts: EvaluationLoggerOptions = isPlainObject(options) ? options : {};
    this.log = new RateLimitedLogger(activeClient()?.options.logger ?? consoleLogger);
    this.name =
      typeof opts.name === 'string' && opts.name !== '' ? opts.name : EVALUATION_LOGGER_DEFAULTS.name;
    this.modelName = modelName(opts.model);
    const evaluation: EvaluationRef = {
      name: this.name,
      scorers: [],
      dataset: datasetRef(opts.dataset),
      trials: 1,
    };
    const model: ModelRef = { name: this.modelName };
    // The attributes go on the root and, through its frame, on every call beneath it.
    this.root = withAttributes(evaluationAttributes(this.name), () =>
      ManualCall.start({
        opName: EVALUATE_OP,
        eagerCallStart: true,
        displayName: this.name,
        inputs: { evaluation, model },
      }),
    );
  }

  /** The root call's id, or undefined when nothing is recorded (no client). */
  get callId(): string | undefined {
    return this.root.handle?.id;
  }

  /** The evaluation's trace id, or undefined when nothing is recorded. */
  get traceId(): string | undefined {
    return this.root.handle?.traceId;
  }

  /** True once `logSummary` was called. */
  get summarized(): boolean {
    return this.summary !== undefined;
  }

  /**
   * Records a prediction: a `predict_and_score` call under the root with the model call (recording
   * `inputs` and `output`) beneath it. Add scores with the returned ScoreLogger, then `finish()` it.
   */
  logPrediction(inputs: Record<string, unknown>, output: unknown): ScoreLogger {
    if (this.summary !== undefined) {
      this.warn(
        'prediction-after-summary',
        `logPrediction after logSummary on evaluation ${this.name}: ignored`,
      );
      return new ScoreLogger(undefined, inputs, output, undefined);
    }
    const rowIndex = this.predictions++;
    const call = ManualCall.start({
      opName: PREDICT_AND_SCORE_OP,
      inputs: { example: inputs, row_index: rowIndex, trial: 0 },
      parent: this.root,
    });
    const pred = new ScoreLogger(call, inputs, output, this);
    this.open.add(pred);
    try {
      ManualCall.start({ opName: this.modelName, inputs: fieldsOf(inputs), parent: call }).end(output);
    } catch (err) {
      this.internal(err);
    }
    return pred;
  }

  /**
   * Finishes the predictions left unfinished, computes the aggregate summary, adds the fields of
   * `extra` (not replacing the summary's own: `scores`, `example_count`, `error_count`,
   * `model_latency_ms`), ends the root with it as output and resolves to it. It does not flush: call
   * `client.flush()` to make the evaluation visible at once. Calling it again is a no-op (with a
   * warning) that resolves to the first summary.
   */
  async logSummary(extra?: Record<string, unknown>): Promise<EvaluationSummary> {
    if (this.summary !== undefined) {
      this.warn('summary-again', `logSummary called again on evaluation ${this.name}: ignored`);
      return this.summary;
    }
    let summary: EvaluationSummary;
    try {
      for (const pred of [...this.open]) pred.finish();
      summary = summarize(this.outcomes);
    } catch (err) {
      this.internal(err);
      summary = { scores: {}, example_count: 0, error_count: 0, model_latency_ms: null };
    }
    if (isPlainObject(extra)) this.merge(summary, extra);
    else if (extra !== undefined) {
      this.warn('summary-extra', `logSummary(extra): extra must be a plain object; ignored`);
    }
    this.summary = summary;
    this.root.end(summary);
    return summary;
  }

  /** @internal a prediction was finished. */
  predictionFinished(pred: ScoreLogger, outcome: PredictionOutcome): void {
    if (!this.open.delete(pred)) return;
    this.outcomes.push(outcome);
  }

  /** @internal */
  warn(key: string, message: string): void {
    this.log.warn(`evaluation-logger-${key}`, message);
  }

  private merge(summary: EvaluationSummary, extra: Record<string, unknown>): void {
    try {
      for (const key of Object.keys(extra)) {
        if (SUMMARY_FIELDS.has(key)) {
          this.warn('summary-clash', `logSummary(extra): ${key} is a summary field; kept the computed one`);
        } else {
          setField(summary, key, extra[key]);
        }
      }
    } catch (err) {
      this.internal(err);
    }
  }

  private internal(err: unknown): void {
    this.warn('internal', `internal error in EvaluationLogger (your code ran normally): ${String(err)}`);
  }
}

function modelName(model: EvaluationLoggerOptions['model']): string {
  if (typeof model === 'string' && model !== '') return model;
  if (isPlainObject(model)) {
    try {
      const name = model.name;
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // a hostile object: the default name
    }
  }
  return EVALUATION_LOGGER_DEFAULTS.model;
}

function datasetRef(dataset: EvaluationLoggerOptions['dataset']): DatasetRef | null {
  if (dataset instanceof Dataset) return dataset.toRef();
  if (typeof dataset === 'string' && dataset !== '') return { name: dataset, row_count: null, digest: null };
  return null;
}
