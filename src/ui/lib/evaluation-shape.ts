import type { CallRecord, CallStatus } from '../../shared/call-types.js';

/**
 * Reading evaluations out of calls, following the evaluation call shape agreed with the SDK: a root
 * `Evaluation.evaluate` call (inputs: evaluation and model; output: aggregate scores) with one
 * `Evaluation.predict_and_score` child per example and trial (output: model output and scores).
 */

export const EVALUATE_OP = 'Evaluation.evaluate';
export const PREDICT_AND_SCORE_OP = 'Evaluation.predict_and_score';

export interface EvaluationInfo {
  callId: string;
  traceId: string | null;
  name: string;
  model: string;
  dataset: { name: string; rowCount: number | null } | null;
  scorers: string[];
  trials: number;
  status: CallStatus;
  startedAt: string | null;
  endedAt: string | null;
  /** The output of a finished evaluation; null while it runs or when it failed. */
  summary: {
    scores: Record<string, unknown>;
    exampleCount: number | null;
    errorCount: number | null;
    latency: { mean: number | null; p50: number | null; p95: number | null } | null;
  } | null;
  exception: string | null;
}

/** One scalar of an evaluation's summary: a mean of numbers or a fraction of trues. */
export interface ScoreMetric {
  /** `scorer` or `scorer.path.to.field`. */
  key: string;
  kind: 'mean' | 'fraction';
  value: number;
  /** For fractions: how many were true. */
  trueCount?: number;
}

export interface ExampleResult {
  callId: string;
  rowIndex: number | null;
  trial: number;
  example: unknown;
  output: unknown;
  /** Flattened score values: `scorer` or `scorer.field` -> number, boolean or other. */
  scores: Record<string, unknown>;
  latencyMs: number | null;
  status: CallStatus;
  exception: string | null;
}

export function readEvaluation(call: CallRecord): EvaluationInfo {
  const inputs = obj(call.inputs);
  const evaluation = obj(inputs.evaluation);
  const dataset =
    evaluation.dataset === null || evaluation.dataset === undefined ? null : obj(evaluation.dataset);
  const output = call.status === 'success' ? obj(call.output) : null;
  const latency = output ? obj(output.model_latency_ms) : null;
  const attributes = obj(obj(call.attributes).weft);
  return {
    callId: call.id,
    traceId: call.trace_id,
    name: str(evaluation.name) ?? call.display_name ?? str(attributes.evaluation_name) ?? 'evaluation',
    model: str(obj(inputs.model).name) ?? 'model',
    dataset: dataset
      ? { name: str(dataset.name) ?? 'dataset', rowCount: numOrNull(dataset.row_count) }
      : null,
    scorers: Array.isArray(evaluation.scorers)
      ? evaluation.scorers.filter((s): s is string => typeof s === 'string')
      : [],
    trials: numOrNull(evaluation.trials) ?? 1,
    status: call.status,
    startedAt: call.started_at,
    endedAt: call.ended_at,
    summary: output
      ? {
          scores: obj(output.scores),
          exampleCount: numOrNull(output.example_count),
          errorCount: numOrNull(output.error_count),
          latency: latency
            ? { mean: numOrNull(latency.mean), p50: numOrNull(latency.p50), p95: numOrNull(latency.p95) }
            : null,
        }
      : null,
    exception: call.exception,
  };
}

/**
 * The aggregates of `output.scores` as flat metrics: `{ mean }` is a mean, `{ true_fraction, true_count }`
 * a fraction, any other object holds aggregates per key (recursively).
 */
export function flattenAggregates(scores: Record<string, unknown>, prefix = ''): ScoreMetric[] {
  const metrics: ScoreMetric[] = [];
  for (const [name, agg] of Object.entries(scores)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (agg === null || typeof agg !== 'object' || Array.isArray(agg)) continue;
    const a = agg as Record<string, unknown>;
    if (typeof a.true_fraction === 'number') {
      metrics.push({
        key,
        kind: 'fraction',
        value: a.true_fraction,
        trueCount: numOrNull(a.true_count) ?? undefined,
      });
    } else if (typeof a.mean === 'number') {
      metrics.push({ key, kind: 'mean', value: a.mean });
    } else {
      metrics.push(...flattenAggregates(a, key));
    }
  }
  return metrics;
}

export function readExample(call: CallRecord): ExampleResult {
  const inputs = obj(call.inputs);
  const output = obj(call.output);
  return {
    callId: call.id,
    rowIndex: numOrNull(inputs.row_index),
    trial: numOrNull(inputs.trial) ?? 0,
    example: inputs.example,
    output: output.output,
    scores: call.status === 'success' ? flattenScoreValues(obj(output.scores)) : {},
    latencyMs: numOrNull(output.model_latency_ms),
    status: call.status,
    exception: call.exception,
  };
}

/** Per-example score values flattened to `scorer` / `scorer.field` keys (objects are walked). */
export function flattenScoreValues(scores: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scores)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flattenScoreValues(value as Record<string, unknown>, key));
    } else flat[key] = value;
  }
  return flat;
}

/** Examples in dataset order (row, then trial). */
export function sortExamples(examples: ExampleResult[]): ExampleResult[] {
  return [...examples].sort(
    (a, b) => (a.rowIndex ?? Infinity) - (b.rowIndex ?? Infinity) || a.trial - b.trial,
  );
}

export interface ComparedExample {
  key: string;
  rowIndex: number | null;
  trial: number;
  example: unknown;
  a: ExampleResult | undefined;
  b: ExampleResult | undefined;
}

/** Pairs the examples of two evaluations by row index and trial, in dataset order. */
export function compareExamples(a: ExampleResult[], b: ExampleResult[]): ComparedExample[] {
  const rows = new Map<string, ComparedExample>();
  const keyOf = (e: ExampleResult) => (e.rowIndex === null ? `call:${e.callId}` : `${e.rowIndex}:${e.trial}`);
  for (const [side, list] of [
    ['a', a],
    ['b', b],
  ] as const) {
    for (const e of list) {
      const key = keyOf(e);
      const row = rows.get(key) ?? {
        key,
        rowIndex: e.rowIndex,
        trial: e.trial,
        example: e.example,
        a: undefined,
        b: undefined,
      };
      row[side] = e;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort(
    (x, y) =>
      (x.rowIndex ?? Infinity) - (y.rowIndex ?? Infinity) || x.trial - y.trial || (x.key < y.key ? -1 : 1),
  );
}

/** The union of the score keys of some examples, sorted. */
export function scoreKeys(examples: Iterable<ExampleResult | undefined>): string[] {
  const keys = new Set<string>();
  for (const e of examples) if (e) for (const k of Object.keys(e.scores)) keys.add(k);
  return [...keys].sort();
}

/** A score value as a number for comparisons (booleans as 0/1), or null. */
export function scoreNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
