import { randomUUID } from 'node:crypto';
import type { CallRecord, JsonObject } from '../../shared/call-types.js';
import { microsToIso } from '../../shared/time.js';
import type { CallPart, CallsQuery, TraceStore } from '../trace-store.js';

/** Helpers shared by the store contract suites: call builders, unique projects, stream collection. */

/** 2025-01-01T00:00:00Z in microseconds; contract times are offsets from it. */
export const T0 = Date.UTC(2025, 0, 1) * 1000;

/** A project id no other test uses, so that suites can share one store. */
export function uniqueProject(): string {
  return `contract/p-${randomUUID().slice(0, 13)}`;
}

export interface StartOptions {
  trace_id?: string;
  parent_id?: string | null;
  op_name?: string;
  display_name?: string | null;
  thread_id?: string | null;
  turn_id?: string | null;
  startedAtUs?: number;
  attributes?: JsonObject;
  inputs?: JsonObject;
  wb_user_id?: string | null;
  wb_run_id?: string | null;
}

export interface EndOptions {
  endedAtUs?: number;
  exception?: string | null;
  output?: unknown;
  summary?: JsonObject;
  /** v2 end fields. */
  trace_id?: string;
  startedAtUs?: number;
}

export function startPart(project_id: string, id: string, o: StartOptions = {}): CallPart {
  const startedAtUs = o.startedAtUs ?? T0;
  return {
    kind: 'start',
    startedAtUs,
    call: {
      project_id,
      id,
      trace_id: o.trace_id ?? `trace-${id}`,
      parent_id: o.parent_id ?? null,
      op_name: o.op_name ?? 'op',
      display_name: o.display_name ?? null,
      thread_id: o.thread_id ?? null,
      turn_id: o.turn_id ?? null,
      started_at: microsToIso(startedAtUs),
      attributes: o.attributes ?? {},
      inputs: o.inputs ?? {},
      wb_user_id: o.wb_user_id ?? null,
      wb_run_id: o.wb_run_id ?? null,
    },
  };
}

export function endPart(project_id: string, id: string, o: EndOptions = {}): CallPart {
  const endedAtUs = o.endedAtUs ?? T0 + 1_000;
  return {
    kind: 'end',
    endedAtUs,
    ...(o.startedAtUs === undefined ? {} : { startedAtUs: o.startedAtUs }),
    call: {
      project_id,
      id,
      ended_at: microsToIso(endedAtUs),
      exception: o.exception ?? null,
      output: o.output,
      summary: o.summary ?? {},
      ...(o.trace_id === undefined ? {} : { trace_id: o.trace_id }),
      ...(o.startedAtUs === undefined ? {} : { started_at: microsToIso(o.startedAtUs) }),
    },
  };
}

export function completePart(
  project_id: string,
  id: string,
  s: StartOptions = {},
  e: EndOptions = {},
): CallPart {
  const start = startPart(project_id, id, s);
  const end = endPart(project_id, id, e);
  if (start.kind !== 'start' || end.kind !== 'end') throw new Error('unreachable');
  return {
    kind: 'complete',
    startedAtUs: start.startedAtUs,
    endedAtUs: end.endedAtUs,
    call: { ...start.call, ...end.call, trace_id: start.call.trace_id, started_at: start.call.started_at },
  };
}

/** Reads a whole stream into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Ids of the calls a query returns, in order. */
export async function ids(store: TraceStore, query: CallsQuery): Promise<string[]> {
  return (await collect(store.queryCalls(query))).map((c) => c.id);
}

/** Ids of the calls matching `$expr`, sorted by id (for set comparisons). */
export async function matching(store: TraceStore, project_id: string, $expr: unknown): Promise<string[]> {
  const rows = await collect(store.queryCalls({ project_id, query: { $expr } as CallsQuery['query'] }));
  return rows.map((c) => c.id).sort();
}

/** Runs a query to the end, so that lazy and eager validation both surface as a rejection. */
export async function drain(store: TraceStore, query: CallsQuery): Promise<void> {
  for await (const _ of store.queryCalls(query)) {
    // drained
  }
}

/** The call as it must read back after start + end with these options. */
export function expectedRecord(
  project_id: string,
  id: string,
  s: StartOptions,
  e: EndOptions | undefined,
): Partial<CallRecord> {
  return {
    project_id,
    id,
    trace_id: s.trace_id ?? `trace-${id}`,
    parent_id: s.parent_id ?? null,
    op_name: s.op_name ?? 'op',
    started_at: microsToIso(s.startedAtUs ?? T0),
    ended_at: e ? microsToIso(e.endedAtUs ?? T0 + 1_000) : null,
    inputs: s.inputs ?? {},
    output: e?.output ?? null,
    exception: e?.exception ?? null,
  };
}

/**
 * A small project used by the query suites:
 *
 * ```
 * root1   trace A  op root:v1  th1/tu1  +1ms..+5ms (4 ms)   success  inputs {n:1, q:'Alpha Beta', s:'10'}
 *   child1  trace A  op llm             +2ms..+3ms (1 ms)   error    inputs {n:2, q:'gamma'}
 *   child2  trace A  op llm             +2.5ms..            running  inputs {n:3, q:'ALPHA'}
 *     grandchild trace A op tool        +2.6ms..+2.7ms      success  inputs {n:4}
 * root2   trace B  op root:v2  th2/tu2  +10ms..+30ms (20 ms) success inputs {n:5, q:'delta', s:'9'}
 * orphan  (end only)                    ..+40ms              missing_start
 * ```
 */
export async function seedTree(store: TraceStore, project: string): Promise<void> {
  const op = (v: string) => `weave:///e/p/op/root:${v}`;
  await store.ingest([
    completePart(
      project,
      'root1',
      {
        trace_id: 'A',
        op_name: op('v1'),
        thread_id: 'th1',
        turn_id: 'tu1',
        startedAtUs: T0 + 1_000,
        inputs: { n: 1, q: 'Alpha Beta', s: '10', nested: { k: 'x' } },
        attributes: { env: 'prod' },
      },
      { endedAtUs: T0 + 5_000, output: { score: 0.5 }, summary: { usage: { m: { total_tokens: 100 } } } },
    ),
    completePart(
      project,
      'child1',
      {
        trace_id: 'A',
        parent_id: 'root1',
        op_name: 'llm',
        startedAtUs: T0 + 2_000,
        inputs: { n: 2, q: 'gamma' },
      },
      { endedAtUs: T0 + 3_000, exception: 'boom' },
    ),
    startPart(project, 'child2', {
      trace_id: 'A',
      parent_id: 'root1',
      op_name: 'llm',
      startedAtUs: T0 + 2_500,
      inputs: { n: 3, q: 'ALPHA' },
    }),
    completePart(
      project,
      'grandchild',
      { trace_id: 'A', parent_id: 'child2', op_name: 'tool', startedAtUs: T0 + 2_600, inputs: { n: 4 } },
      { endedAtUs: T0 + 2_700 },
    ),
    completePart(
      project,
      'root2',
      {
        trace_id: 'B',
        op_name: op('v2'),
        display_name: 'Second',
        thread_id: 'th2',
        turn_id: 'tu2',
        startedAtUs: T0 + 10_000,
        inputs: { n: 5, q: 'delta', s: '9' },
        attributes: { env: 'dev' },
      },
      { endedAtUs: T0 + 30_000, output: { score: 0.9 }, summary: { usage: { m: { total_tokens: 5 } } } },
    ),
    endPart(project, 'orphan', { endedAtUs: T0 + 40_000 }),
  ]);
}
