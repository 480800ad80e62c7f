/**
 * The evaluation call shape, shared by `Evaluation.evaluate` and `EvaluationLogger` and relied on by the
 * web UI (documented in docs/evaluations.md):
 *
 *   Evaluation.evaluate              eager root; display name = the evaluation's name;
 *   │                                attributes.weft = { kind: 'evaluation', evaluation_name };
 *   │                                inputs { evaluation: { name, scorers, dataset, trials }, model: { name } };
 *   │                                output: the summary
 *   └─ Evaluation.predict_and_score  one per example and trial; inputs { example, row_index, trial };
 *      │                             output { output, scores, model_latency_ms }
 *      ├─ <model>                    the model call (op name = the model's name)
 *      └─ <scorer>                   one per scorer (op name = the scorer's name); output: the score
 */
import { op, type Op } from '../op.js';
import type { DatasetRef } from './dataset.js';

export const EVALUATE_OP = 'Evaluation.evaluate';
export const PREDICT_AND_SCORE_OP = 'Evaluation.predict_and_score';

/** How the evaluation is recorded: the root's `inputs.evaluation`. */
export interface EvaluationRef {
  name: string;
  /** Scorer names (the logger does not know them up front: `[]`). */
  scorers: string[];
  /** null when the logger was given no dataset. */
  dataset: DatasetRef | null;
  trials: number;
  /** Rows in flight at once (`Evaluation.evaluate` only). */
  concurrency?: number;
}

/** How the model is recorded: the root's `inputs.model`. */
export interface ModelRef {
  name: string;
}

/** The output of a `predict_and_score` call. */
export interface PredictAndScoreOutput {
  output: unknown;
  /** Score by scorer name; a scorer that threw has no entry. */
  scores: Record<string, unknown>;
  /** Wall time of the model call in ms (null from EvaluationLogger, which does not run the model). */
  model_latency_ms: number | null;
}

/** The attributes of an evaluation's calls (the root and, inherited, every call beneath it). */
export function evaluationAttributes(name: string): Record<string, unknown> {
  return { weft: { kind: 'evaluation', evaluation_name: name } };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

export function isOp(fn: unknown): fn is Op<AnyFn> {
  return typeof fn === 'function' && typeof (fn as { opName?: unknown }).opName === 'string';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  try {
    const proto = Object.getPrototypeOf(v) as unknown;
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * Inputs of a function called with one object (a model with the row, a scorer with the row plus
 * `output`): the object's fields, rather than `{ arg0: {...} }`.
 */
export function objectArgInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const values = Object.values(inputs);
  return values.length === 1 && isPlainObject(values[0]) ? values[0] : inputs;
}

/** The recorded inputs of a model or scorer call the logger records for a value (not a function). */
export function fieldsOf(value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) {
    try {
      return { ...value };
    } catch {
      // a hostile Proxy: recorded as one value (the serializer copes with it)
    }
  }
  return { inputs: value };
}

/**
 * An op as is; a plain function wrapped as an op named after it (or `fallback`), whose single
 * object argument is recorded as its fields.
 */
export function asOp<F extends AnyFn>(fn: F, fallback: string): Op<F> {
  if (isOp(fn)) return fn as Op<F>;
  return op(fn, { name: fn.name || fallback, postprocessInputs: objectArgInputs });
}

/** Sets an own enumerable field, whatever its name (`__proto__` included). */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
