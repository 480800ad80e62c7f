import { InvalidOptionError } from '../../shared/errors.js';
import { withAttributes } from '../call-context.js';
import { ManualCall } from '../manual-call.js';
import { op, type Op } from '../op.js';
import {
  asOp,
  EVALUATE_OP,
  evaluationAttributes,
  PREDICT_AND_SCORE_OP,
  setField,
  type EvaluationRef,
  type ModelRef,
  type PredictAndScoreOutput,
} from './call-shape.js';
import { Dataset } from './dataset.js';
import {
  snapshotScore,
  summarize,
  type EvaluationSummary,
  type PredictionOutcome,
  type ScoreValue,
} from './summary.js';

/** Defaults of `new Evaluation()` and `evaluate()`. */
export const EVALUATION_DEFAULTS = {
  /** The evaluation's name (the root call's display name). @default 'evaluation' */
  name: 'evaluation',
  /** Name of the dataset made from a plain array of rows. @default 'dataset' */
  datasetName: 'dataset',
  /** Rows (predict_and_score calls) in flight at once. @default 8 */
  concurrency: 8,
  /** Times each row is run. @default 1 */
  trials: 1,
  /** Op name of an anonymous plain model function. @default 'model' */
  modelName: 'model',
} as const;

/**
 * A scorer: called once per example with the row's fields plus `output` (the model's prediction) as
 * one object; returns (or resolves to) a score: a boolean, a number, or an object of them. An op, or
 * a plain named function (it is wrapped as an op named after it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Scorer<R extends object = Record<string, unknown>> = (args: R & { output: any }) => unknown;

/** A model: called once per example (and trial) with the row; returns or resolves to a prediction. */
export type Model<R extends object = Record<string, unknown>> = (row: R) => unknown;

export interface EvaluationOptions<R extends object = Record<string, unknown>> {
  /** Names the evaluation (the root call's display name). @default 'evaluation' */
  name?: string;
  /** The examples: a Dataset, or rows (then a dataset named 'dataset'). */
  dataset: Dataset<R> | readonly R[];
  scorers?: readonly Scorer<R>[];
}

export interface EvaluateOptions<R extends object = Record<string, unknown>> {
  /** An op, or a plain function (wrapped as an op named after it, or `model`). */
  model: Model<R>;
  /** Rows (predict_and_score calls) in flight at once: an integer >= 1. @default 8 */
  concurrency?: number;
  /** Times each row is run: an integer >= 1. @default 1 */
  trials?: number;
}

interface NamedScorer {
  name: string;
  fn: Op<(args: object) => unknown>;
}

/**
 * Runs a model over a dataset and scores every prediction. `evaluate()` records an eager root call
 * (`Evaluation.evaluate`, visible as running at once), one `Evaluation.predict_and_score` call per row
 * and trial beneath it, and beneath each the model call and one call per scorer. The aggregate
 * summary is the root's output and what `evaluate()` resolves to.
 */
export class Evaluation<R extends object = Record<string, unknown>> {
  readonly name: string;
  readonly dataset: Dataset<R>;
  private readonly scorers: readonly NamedScorer[];

  constructor(options: EvaluationOptions<R>) {
    if (options === null || typeof options !== 'object')
      throw new InvalidOptionError('options', options, 'an object');
    const name = options.name ?? EVALUATION_DEFAULTS.name;
    if (typeof name !== 'string' || name === '')
      throw new InvalidOptionError('name', name, 'a non-empty string');
    this.name = name;
    const dataset = options.dataset;
    if (dataset instanceof Dataset) this.dataset = dataset;
    else if (Array.isArray(dataset))
      this.dataset = new Dataset({ name: EVALUATION_DEFAULTS.datasetName, rows: dataset });
    else throw new InvalidOptionError('dataset', dataset, 'a Dataset or an array of rows');

    const scorers = options.scorers ?? [];
    if (!Array.isArray(scorers)) throw new InvalidOptionError('scorers', scorers, 'an array of functions');
    const names = new Set<string>();
    this.scorers = scorers.map((fn: unknown, i) => {
      const where = `scorers[${i}]`;
      if (typeof fn !== 'function') throw new InvalidOptionError(where, fn, 'a function or an op');
      const scorer = asOp(fn as (args: object) => unknown, '');
      const scorerName = scorer.opName;
      if (scorerName === '' || scorerName === 'anonymous') {
        throw new InvalidOptionError(where, fn, 'a named function or op (name one with op(fn, { name }))');
      }
      if (names.has(scorerName)) {
        throw new InvalidOptionError(where, fn, `a scorer name not used twice (${scorerName})`);
      }
      names.add(scorerName);
      return { name: scorerName, fn: scorer };
    });
  }

  /** Scorer names, in the order given. */
  get scorerNames(): string[] {
    return this.scorers.map((s) => s.name);
  }

  /**
   * Runs the model on every row (`trials` times), `concurrency` rows at a time, scores each
   * prediction and resolves to the summary. A row whose model or scorer throws is recorded as an error
   * and counted in `error_count`; the run goes on. Rejects only for invalid options.
   */
  async evaluate(options: EvaluateOptions<R>): Promise<EvaluationSummary> {
    if (options === null || typeof options !== 'object')
      throw new InvalidOptionError('options', options, 'an object');
    const model: unknown = options.model;
    if (typeof model !== 'function') throw new InvalidOptionError('model', model, 'a function or an op');
    const concurrency = options.concurrency ?? EVALUATION_DEFAULTS.concurrency;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1)
      throw new InvalidOptionError('concurrency', concurrency, 'an integer >= 1');
    const trials = options.trials ?? EVALUATION_DEFAULTS.trials;
    if (!Number.isSafeInteger(trials) || trials < 1)
      throw new InvalidOptionError('trials', trials, 'an integer >= 1');

    const modelOp = asOp(model as Model<R>, EVALUATION_DEFAULTS.modelName);
    const rows = this.dataset.rows;
    const items: { row: R; rowIndex: number; trial: number }[] = [];
    for (let trial = 0; trial < trials; trial++) {
      rows.forEach((row, rowIndex) => items.push({ row, rowIndex, trial }));
    }
    const scorerNames = this.scorerNames;

    const runAll = async (): Promise<EvaluationSummary> => {
      const outcomes: PredictionOutcome[] = new Array<PredictionOutcome>(items.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < items.length) {
          const k = next++;
          const item = items[k]!;
          outcomes[k] = await this.predictAndScore(modelOp, item.row, item.rowIndex, item.trial);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      return summarize(outcomes, scorerNames);
    };

    // The root: its parameter names are the recorded input keys; the work is in `runAll`.
    const evaluateOp = op(
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      async function evaluate(evaluation: EvaluationRef, model: ModelRef) {
        return runAll();
      },
      { name: EVALUATE_OP, eagerCallStart: true, callDisplayName: this.name },
    );
    const evaluation: EvaluationRef = {
      name: this.name,
      scorers: scorerNames,
      dataset: this.dataset.toRef(),
      trials,
      concurrency,
    };
    return withAttributes(evaluationAttributes(this.name), () =>
      evaluateOp(evaluation, { name: modelOp.opName }),
    );
  }

  /** One row of one trial; never rejects. */
  private async predictAndScore(
    model: Op<Model<R>>,
    row: R,
    rowIndex: number,
    trial: number,
  ): Promise<PredictionOutcome> {
    const call = ManualCall.start({
      opName: PREDICT_AND_SCORE_OP,
      inputs: { example: row, row_index: rowIndex, trial },
    });
    let output: unknown;
    const t0 = performance.now();
    try {
      output = await call.run(() => model(row));
    } catch (thrown) {
      call.fail(thrown);
      return { scores: {}, errors: 1 };
    }
    const modelLatencyMs = performance.now() - t0;

    const settled = await Promise.allSettled(
      this.scorers.map((s) => call.run(async () => s.fn({ ...row, output }))),
    );
    const recorded: Record<string, unknown> = {};
    const scores: Record<string, ScoreValue> = {};
    let errors = 0;
    settled.forEach((result, i) => {
      const name = this.scorers[i]!.name;
      if (result.status === 'rejected') {
        errors++;
        return;
      }
      setField(recorded, name, result.value);
      setField(scores, name, snapshotScore(result.value));
    });
    const out: PredictAndScoreOutput = { output, scores: recorded, model_latency_ms: modelLatencyMs };
    call.end(out);
    return { scores, modelLatencyMs, errors };
  }
}
