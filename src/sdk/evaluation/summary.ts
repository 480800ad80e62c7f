/**
 * The aggregate summary of an evaluation: `{ scores, example_count, error_count, model_latency_ms }`.
 * Shared by `Evaluation.evaluate` and `EvaluationLogger.logSummary`; the root call's output.
 */

/** Numbers (and mixes of numbers and booleans, booleans counting 1/0) aggregate to their mean. */
export interface MeanAggregate {
  mean: number;
}

/** Booleans aggregate to how many were true and which fraction of the scored examples that is. */
export interface BooleanAggregate {
  true_fraction: number;
  true_count: number;
}

/** Objects aggregate field by field, recursively. */
export interface ObjectAggregate {
  [field: string]: ScoreAggregate;
}

export type ScoreAggregate = MeanAggregate | BooleanAggregate | ObjectAggregate;

/** Model call wall times, in milliseconds. */
export interface LatencySummary {
  mean: number;
  p50: number;
  p95: number;
}

/** What `evaluate()` and `logSummary()` return, and the evaluation's root call records as output. */
export interface EvaluationSummary {
  /** One aggregate per scorer with something to aggregate, keyed by scorer name. */
  scores: Record<string, ScoreAggregate>;
  /** Predictions made: rows x trials (`Evaluation`), predictions logged (`EvaluationLogger`). */
  example_count: number;
  /** Model calls and scorer calls that threw. */
  error_count: number;
  /** Over the model calls that returned; null when none was timed (always, for EvaluationLogger). */
  model_latency_ms: LatencySummary | null;
  /** `logSummary(extra)` fields. */
  [extra: string]: unknown;
}

/** The summary's own fields: `logSummary(extra)` cannot replace them. */
export const SUMMARY_FIELDS: ReadonlySet<string> = new Set([
  'scores',
  'example_count',
  'error_count',
  'model_latency_ms',
]);

/** What one prediction (one row of one trial) contributes to the summary. */
export interface PredictionOutcome {
  /** Score by scorer name; a scorer that threw has no entry. */
  scores: Record<string, ScoreValue>;
  /** Wall time of the model call in ms, when it returned and was timed. */
  modelLatencyMs?: number;
  /** Model and scorer calls of this prediction that threw. */
  errors: number;
}

/**
 * A score reduced to what can be aggregated: booleans, finite numbers and plain objects of them.
 * Anything else (strings, arrays, null...) is `undefined`, i.e. not aggregated.
 */
export type ScoreValue = boolean | number | { [field: string]: ScoreValue } | undefined;

const MAX_DEPTH = 16;

/**
 * Copies a score into its aggregable form, never throwing (hostile getters and Proxies lose the
 * fields they hide). Taken when the score is recorded, so later mutation does not change the summary.
 */
export function snapshotScore(value: unknown, depth = 0): ScoreValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  try {
    if (Array.isArray(value)) return undefined;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: { [field: string]: ScoreValue } = {};
    for (const key of Object.keys(value)) {
      let v: unknown;
      try {
        v = (value as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      const s = snapshotScore(v, depth + 1);
      if (s !== undefined) Object.defineProperty(out, key, { value: s, enumerable: true, writable: true });
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Aggregates the values one scorer (or one field of its object scores) gave over the examples.
 * Missing values (`undefined`) are skipped, so fractions and means are over the examples scored.
 * All booleans: `{ true_count, true_fraction }`; numbers (booleans as 1/0): `{ mean }`; objects:
 * field by field. Returns undefined when nothing is aggregable (no values, or a mix of kinds).
 */
export function aggregateScores(values: readonly ScoreValue[]): ScoreAggregate | undefined {
  const present = values.filter((v): v is NonNullable<ScoreValue> => v !== undefined);
  if (present.length === 0) return undefined;
  if (present.every((v) => typeof v === 'boolean')) {
    const trueCount = present.filter((v) => v).length;
    return { true_fraction: trueCount / present.length, true_count: trueCount };
  }
  if (present.every((v) => typeof v === 'number' || typeof v === 'boolean')) {
    let sum = 0;
    for (const v of present) sum += Number(v);
    return { mean: sum / present.length };
  }
  if (present.every((v) => typeof v === 'object')) {
    const objects = present as { [field: string]: ScoreValue }[];
    const fields: string[] = [];
    const seen = new Set<string>();
    for (const o of objects) {
      for (const k of Object.keys(o)) {
        if (!seen.has(k)) {
          seen.add(k);
          fields.push(k);
        }
      }
    }
    const out: ObjectAggregate = {};
    for (const f of fields) {
      const agg = aggregateScores(objects.map((o) => (Object.hasOwn(o, f) ? o[f] : undefined)));
      if (agg !== undefined) Object.defineProperty(out, f, { value: agg, enumerable: true, writable: true });
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return undefined;
}

/**
 * The summary of an evaluation's predictions. Scorers come in `scorerNames` order (then any other
 * score name in first-seen order); a scorer with nothing to aggregate is left out.
 */
export function summarize(
  outcomes: readonly PredictionOutcome[],
  scorerNames: readonly string[] = [],
): EvaluationSummary {
  const names: string[] = [...scorerNames];
  const known = new Set(names);
  for (const o of outcomes) {
    for (const name of Object.keys(o.scores)) {
      if (!known.has(name)) {
        known.add(name);
        names.push(name);
      }
    }
  }
  const scores: Record<string, ScoreAggregate> = {};
  for (const name of names) {
    const agg = aggregateScores(
      outcomes.map((o) => (Object.hasOwn(o.scores, name) ? o.scores[name] : undefined)),
    );
    if (agg !== undefined)
      Object.defineProperty(scores, name, { value: agg, enumerable: true, writable: true });
  }
  const latencies = outcomes
    .map((o) => o.modelLatencyMs)
    .filter((l): l is number => typeof l === 'number' && Number.isFinite(l))
    .sort((a, b) => a - b);
  let errors = 0;
  for (const o of outcomes) errors += o.errors;
  return {
    scores,
    example_count: outcomes.length,
    error_count: errors,
    model_latency_ms:
      latencies.length === 0
        ? null
        : {
            mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
            p50: percentile(latencies, 50),
            p95: percentile(latencies, 95),
          },
  };
}

/** Linear-interpolated percentile (p in 0..100) of sorted, non-empty `xs`. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}
