import { microsToIso } from '../../shared/time.js';
import type { CallPart } from '../trace-store.js';
import { mulberry32 } from '../../shared/mulberry32.js';

/**
 * Deterministic synthetic calls for benchmarks and load tests: traces of a root and its children
 * (children may nest one level), op names from a fixed pool, a share of failures, inputs / output /
 * summary shaped like an LLM app's. The same options always give the same calls.
 */

/** Defaults of {@link generateCallBatches}. */
export const DEFAULTS = {
  /** Calls per trace (the root included). */
  callsPerTrace: 10,
  /** Distinct op names. */
  opNames: 20,
  /** Share of calls that end with an exception. */
  errorRate: 0.05,
  /** Start time of the first call, in microseconds (2025-01-01T00:00:00Z). */
  startUs: Date.UTC(2025, 0, 1) * 1000,
  /** Microseconds between two consecutive calls' starts. */
  stepUs: 1_000,
  /** Seed of the pseudo-random generator. */
  seed: 1,
  /** Calls per yielded batch. */
  batchSize: 1_000,
  /** `complete`: one part per call; `halves`: a start and an end part per call (same batch). */
  mode: 'complete' as 'complete' | 'halves',
  /** Prefix of call and trace ids, to keep several generated sets apart (see {@link callId}). */
  idPrefix: '',
};

export interface GenerateCallsOptions extends Partial<typeof DEFAULTS> {
  projectId: string;
  /** Number of calls to generate. */
  count: number;
}

/** The calls in batches of `batchSize` calls (twice as many parts in `halves` mode). */
export function* generateCallBatches(options: GenerateCallsOptions): Generator<CallPart[]> {
  const o = { ...DEFAULTS, ...options };
  const random = mulberry32(o.seed);
  let batch: CallPart[] = [];
  let traceRoot = '';
  let traceId = '';
  let lastChild = '';
  for (let n = 0; n < o.count; n++) {
    const id = callId(n, o.idPrefix);
    const position = n % o.callsPerTrace;
    if (position === 0) {
      traceRoot = id;
      traceId = traceIdOf(Math.floor(n / o.callsPerTrace), o.idPrefix);
    }
    const parent = position === 0 ? null : position > 1 && random() < 0.3 ? lastChild : traceRoot;
    if (position > 0) lastChild = id;
    const startedAtUs = o.startUs + n * o.stepUs;
    const endedAtUs = startedAtUs + Math.floor(random() * 2_000_000);
    const failed = random() < o.errorRate;
    const op = `weave:///bench/project/op/op_${Math.floor(random() * o.opNames)}:v1`;
    const model = random() < 0.5 ? 'gpt-4o' : 'claude-sonnet';
    const promptTokens = Math.floor(random() * 2_000);
    const start = {
      project_id: o.projectId,
      id,
      trace_id: traceId,
      parent_id: parent,
      op_name: op,
      started_at: microsToIso(startedAtUs),
      attributes: {
        weave: { client_version: '0.1.0', source: 'bench' },
        env: random() < 0.5 ? 'prod' : 'dev',
      },
      inputs: { question: `question number ${n} about ${model}`, temperature: 0.7, k: n % 17 },
    };
    const end = {
      project_id: o.projectId,
      id,
      ended_at: microsToIso(endedAtUs),
      exception: failed ? `ValueError: synthetic failure ${n}` : null,
      output: failed ? null : { answer: `answer ${n}`, score: random() },
      summary: {
        usage: {
          [model]: {
            requests: 1,
            prompt_tokens: promptTokens,
            completion_tokens: 100,
            total_tokens: promptTokens + 100,
          },
        },
      },
    };
    if (o.mode === 'complete') {
      batch.push({ kind: 'complete', call: { ...start, ...end }, startedAtUs, endedAtUs });
    } else {
      batch.push({ kind: 'start', call: start, startedAtUs });
      batch.push({ kind: 'end', call: end, endedAtUs });
    }
    if ((n + 1) % o.batchSize === 0) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Id of the n-th generated call: UUIDv7-shaped and increasing with n, like the ids of Weave's SDKs
 * (so that indexes see the same insertion pattern as in production).
 */
export function callId(n: number, prefix = ''): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${hex.padStart(12, '0')}`;
}

/** Id of the n-th generated trace. */
export function traceIdOf(n: number, prefix = ''): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-9000-${hex.padStart(12, '0')}`;
}
