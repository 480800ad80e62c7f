import { MARKER_WORD } from './synthetic-calls.js';
import { int } from './stats.js';

/** One query of the latency benches: a POST to the trace server, repeated `runs` times. */
export interface Query {
  name: string;
  path: '/calls/query' | '/calls/stream_query';
  body: Record<string, unknown>;
  runs: number;
  /**
   * `text` (default): until the whole answer is read as one string (`res.text()`); `last-byte`: until
   * its last byte arrived, lines counted as they come, as a streaming NDJSON reader takes them.
   */
  read?: 'text' | 'last-byte';
}

/**
 * The query mix on the synthetic store of bench/lib/synthetic-calls.ts (data from `fromUs` over
 * 30 days, one trace of `bigTrace` calls): latest 50 roots, the whole big trace, op + 3-day range +
 * error, and `$contains` on inputs (a rare word, latest 50; and no match, a full scan).
 */
export function queryMix(o: {
  projectId: string;
  bigTraceId: string;
  bigTrace: number;
  fromUs: number;
  runs: number;
}): { latestRoots: Query; trace: Query; opRangeError: Query; contains: Query; containsNone: Query } {
  const day = 24 * 3600 * 1_000_000;
  const iso = (us: number) => new Date(us / 1000).toISOString();
  const latestDesc = [{ field: 'started_at', direction: 'desc' }];
  const contains = (substr: string, case_insensitive = false) => ({
    $contains: { input: { $getField: 'inputs.text' }, substr: { $literal: substr }, case_insensitive },
  });
  const project_id = o.projectId;
  return {
    latestRoots: {
      name: 'latest 50 roots (trace_roots_only, started_at desc)',
      path: '/calls/query',
      body: { project_id, filter: { trace_roots_only: true }, sort_by: latestDesc, limit: 50 },
      runs: o.runs,
    },
    trace: {
      name: `whole ${int(o.bigTrace)}-call trace (stream_query, trace_ids)`,
      path: '/calls/stream_query',
      body: { project_id, filter: { trace_ids: [o.bigTraceId] } },
      runs: o.runs,
    },
    opRangeError: {
      name: 'op_name + 3-day range + status error ($expr), stream',
      path: '/calls/stream_query',
      body: {
        project_id,
        query: {
          $expr: {
            $and: [
              { $eq: [{ $getField: 'op_name' }, { $literal: 'llm_call' }] },
              { $gte: [{ $getField: 'started_at' }, { $literal: iso(o.fromUs + 10 * day) }] },
              { $lt: [{ $getField: 'started_at' }, { $literal: iso(o.fromUs + 13 * day) }] },
              { $eq: [{ $getField: 'status' }, { $literal: 'error' }] },
            ],
          },
        },
        sort_by: latestDesc,
      },
      runs: o.runs,
    },
    contains: {
      name: `$contains "${MARKER_WORD}" in inputs.text, latest 50`,
      path: '/calls/query',
      body: { project_id, query: { $expr: contains(MARKER_WORD) }, sort_by: latestDesc, limit: 50 },
      runs: o.runs,
    },
    containsNone: {
      name: '$contains, no match (full scan), case-insensitive',
      path: '/calls/query',
      body: {
        project_id,
        query: { $expr: contains('no-such-word-xyz', true) },
        sort_by: latestDesc,
        limit: 50,
      },
      runs: Math.max(3, Math.round(o.runs / 4)),
    },
  };
}
