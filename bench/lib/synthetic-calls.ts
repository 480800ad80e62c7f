import type { CompleteCall, EndedCall, StartedCall } from '../../src/shared/call-types.js';
import { mulberry32 } from '../../src/shared/mulberry32.js';
import { microsToIso } from '../../src/shared/time.js';
import type { CallPart } from '../../src/store/trace-store.js';
import { pick, sentence } from './synthetic-text.js';

/**
 * Synthetic call records for the server benchmarks, shaped like what the SDK sends: a realistic mix of
 * traces of 10 calls (root -> 3 steps -> an LLM call and a tool call each), optionally one very large
 * trace, ~2 % errors on leaf calls, a few op names, and every call's inputs carrying a `text` field.
 * Deterministic for a given seed. Ids are UUIDv7-shaped and sort by start time, like the SDK's.
 */

export interface GeneratedCall {
  call: CompleteCall;
  startedAtUs: number;
  endedAtUs: number;
}

export interface GenerateOptions {
  projectId: string;
  /** Traces of 10 calls. */
  traces: number;
  /** Calls of one extra large trace (root + children), placed in the middle of the time range; 0 = none. */
  bigTraceCalls?: number;
  fromUs: number;
  toUs: number;
  seed?: number;
  /** Share of leaf calls that fail. @default 0.02 */
  errorRate?: number;
  /** A word put into `inputs.text` of about this share of calls (for `$contains`). @default 0.001 */
  markerRate?: number;
}

export const MARKER_WORD = 'kumquat';
export const ROOT_OPS = ['agent_run', 'evaluate_example', 'chat_turn'] as const;
export const BIG_TRACE_OP = 'batch_eval';

const MODEL = 'gpt-4o-mini';

/** Yields calls in start order (a trace's calls together), `traces * 10 + bigTraceCalls` in all. */
export function* generateCalls(o: GenerateOptions): Generator<GeneratedCall> {
  const rng = mulberry32(o.seed ?? 1);
  const errorRate = o.errorRate ?? 0.02;
  const markerRate = o.markerRate ?? 0.001;
  const slot = (o.toUs - o.fromUs) / Math.max(1, o.traces);
  let counter = 0;
  const id = (us: number): string => uuidLike(Math.floor(us / 1000), counter++);
  const text = (words: number): string => {
    const s = sentence(rng, words);
    return rng() < markerRate ? `${s} ${MARKER_WORD}` : s;
  };
  const call = (
    traceId: string,
    parentId: string | null,
    op: string,
    startUs: number,
    durUs: number,
    inputs: Record<string, unknown>,
    fails: boolean,
    usage: boolean,
    callId = id(startUs),
  ): GeneratedCall => {
    const endUs = startUs + durUs;
    const c: CompleteCall = {
      project_id: o.projectId,
      id: callId,
      trace_id: traceId,
      parent_id: parentId,
      op_name: op,
      display_name: null,
      thread_id: null,
      turn_id: null,
      started_at: microsToIso(startUs),
      attributes: parentId === null ? { env: 'prod', app_version: '1.4.2' } : {},
      inputs,
      ended_at: microsToIso(endUs),
      exception: fails ? 'RateLimitError: 429 Too Many Requests\n    at callModel (agent.js:42:11)' : null,
      output: fails ? null : { text: text(20) },
      summary: {
        status_counts: { success: fails ? 0 : 1, error: fails ? 1 : 0 },
        ...(usage
          ? {
              usage: {
                [MODEL]: { requests: 1, prompt_tokens: 80, completion_tokens: 40, total_tokens: 120 },
              },
            }
          : {}),
      },
    };
    return { call: c, startedAtUs: startUs, endedAtUs: endUs };
  };

  const bigAt = o.bigTraceCalls ? Math.floor(o.traces / 2) : -1;
  for (let t = 0; t < o.traces; t++) {
    const t0 = Math.floor(o.fromUs + t * slot + rng() * slot * 0.5);
    if (t === bigAt) yield* bigTrace(o.bigTraceCalls ?? 0, t0);
    const rootId = id(t0);
    const calls: GeneratedCall[] = [];
    let cursor = t0 + 1000;
    for (let s = 0; s < 3; s++) {
      const stepStart = cursor;
      const stepId = id(stepStart);
      const llmDur = 200_000 + Math.floor(rng() * 1_500_000);
      const llmFails = rng() < errorRate;
      const llm = call(
        rootId,
        stepId,
        'llm_call',
        stepStart + 500,
        llmDur,
        { text: text(30), model: MODEL, temperature: 0.2 },
        llmFails,
        !llmFails,
      );
      const toolStart = stepStart + 500 + llmDur + 500;
      const toolDur = 20_000 + Math.floor(rng() * 200_000);
      const tool = call(
        rootId,
        stepId,
        'search_tool',
        toolStart,
        toolDur,
        { text: text(6), top_k: 5 },
        rng() < errorRate,
        false,
      );
      const stepEnd = toolStart + toolDur + 500;
      calls.push(
        call(
          rootId,
          rootId,
          'plan_step',
          stepStart,
          stepEnd - stepStart,
          { text: text(10), step: s },
          false,
          false,
          stepId,
        ),
        llm,
        tool,
      );
      cursor = stepEnd + 1000;
    }
    const root = call(
      rootId,
      null,
      pick(rng, ROOT_OPS),
      t0,
      cursor - t0,
      { text: text(20), user: `user-${Math.floor(rng() * 500)}` },
      rng() < errorRate / 2,
      false,
      rootId,
    );
    root.call.trace_id = rootId;
    for (const c of calls) c.call.trace_id = rootId;
    yield root;
    yield* calls;
  }

  function* bigTrace(n: number, t0: number): Generator<GeneratedCall> {
    const rootId = id(t0);
    const children: GeneratedCall[] = [];
    let cursor = t0 + 1000;
    for (let i = 1; i < n; i++) {
      const dur = 50_000 + Math.floor(rng() * 300_000);
      const op = i % 2 ? 'llm_call' : 'search_tool';
      const fails = rng() < errorRate;
      children.push(
        call(
          rootId,
          rootId,
          op,
          cursor,
          dur,
          { text: text(15), example: i },
          fails,
          op === 'llm_call' && !fails,
        ),
      );
      cursor += Math.floor(dur / 4); // children overlap (concurrent evaluation)
    }
    const root = call(
      rootId,
      null,
      BIG_TRACE_OP,
      t0,
      cursor - t0 + 1_000_000,
      { text: text(10), dataset: 'golden-set' },
      false,
      false,
      rootId,
    );
    yield root;
    yield* children;
  }
}

/** A UUIDv7-shaped id: 48-bit milliseconds, then a counter (unique, sorts by time then counter). */
function uuidLike(ms: number, n: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const c = n.toString(16).padStart(18, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6, 18)}`;
}

/** The store parts of a complete call. */
export function completePart(g: GeneratedCall): CallPart {
  return { kind: 'complete', call: g.call, startedAtUs: g.startedAtUs, endedAtUs: g.endedAtUs };
}

/** The start and end halves of a call, as `/call/upsert_batch` carries them (the end without trace_id). */
export function halves(g: GeneratedCall): { start: StartedCall; end: EndedCall } {
  const c = g.call;
  const start: StartedCall = {
    project_id: c.project_id,
    id: c.id,
    trace_id: c.trace_id,
    parent_id: c.parent_id,
    op_name: c.op_name,
    display_name: c.display_name ?? null,
    thread_id: c.thread_id ?? null,
    turn_id: c.turn_id ?? null,
    started_at: c.started_at,
    attributes: c.attributes,
    inputs: c.inputs,
  };
  const end: EndedCall = {
    project_id: c.project_id,
    id: c.id,
    ended_at: c.ended_at,
    exception: c.exception ?? null,
    output: c.output,
    summary: c.summary,
  };
  return { start, end };
}

export function startPart(g: GeneratedCall): CallPart {
  return { kind: 'start', call: halves(g).start, startedAtUs: g.startedAtUs };
}

export function endPart(g: GeneratedCall): CallPart {
  return { kind: 'end', call: halves(g).end, endedAtUs: g.endedAtUs };
}
