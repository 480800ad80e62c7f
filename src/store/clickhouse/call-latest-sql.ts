import type { CallsQuery } from '../trace-store.js';
import { compileCallsSelect, compileCallsWhere, optionalCount } from './call-query-sql.js';
import { sqlCount, sqlNumber } from './sql-literal.js';

/**
 * The fast plan of "latest N calls" (`sort_by` starting with `started_at desc`, with a small `limit`):
 * instead of merging every call that matches to sort them, take candidates from `call_starts` (the
 * start-carrying rows, ordered by project and start time; migrations.ts) and merge only those.
 *
 * 1. Probe: of the K latest `call_starts` rows that satisfy the start conditions that `call_starts` can (the plan is used only when they are all the filters)
 *    check (CompiledWhere.starts), count them (n) and take the oldest start time (t).
 * 2. Page: the usual query (call-query-sql.ts), narrowed to the ids of the rows started at or after t,
 *    plus, when n = K, the exact condition `started_at > t` on the merged calls.
 *
 * Why it is exact when the page comes out full: a merged call's started_at is the start time of its
 * winning start-carrying row (call-merge-sql.ts), which is a row of `call_starts` satisfying the start
 * conditions if the call matches them. So every matching call started after t is among the candidates,
 * and "started after t" is a prefix of the order `started_at desc` (NULLs last): the first
 * offset + limit calls of that prefix are those of the whole result. Deleted calls, re-sent starts and
 * backfill duplicates only use up candidate slots. If the page comes out short (filters the probe cannot
 * check, deleted calls), K is widened; once the probe saw every row (n < K) or K is at its cap, the
 * plan gives up and the caller runs the full query (which also covers calls without a start time).
 */

/** Pages larger than this (offset + limit) use the full query. */
export const MAX_FAST_PAGE = 5_000;
/** Candidate rows of the first probe, per row of offset + limit. */
export const OVERFETCH = 4;
/** Factor by which K grows after a short page. */
export const WIDEN = 8;
/** Largest K tried before falling back to the full query. */
export const MAX_CANDIDATES = 200_000;

export interface LatestPlan {
  /** Rows a full page has (the query's limit). */
  limit: number;
  /** First K to try. */
  firstK: number;
  /** `SELECT count() AS n, min(started_at) AS t` over the K latest candidate rows. */
  probeSql(k: number): string;
  /** The page, narrowed by a probe's result. */
  pageSql(k: number, probe: { n: number; t: number }): string;
}

/** The fast plan of `query`, or undefined when it does not apply (the full query is used). */
export function latestPlan(query: CallsQuery): LatestPlan | undefined {
  const limit = optionalCount(query.limit, 'limit');
  const offset = optionalCount(query.offset, 'offset') ?? 0;
  if (limit === undefined || limit === 0 || offset + limit > MAX_FAST_PAGE) return undefined;
  const first = Array.isArray(query.sort_by) ? query.sort_by[0] : undefined;
  if (first?.field !== 'started_at' || first.direction !== 'desc') return undefined;
  const where = compileCallsWhere(query);
  // Filters the probe cannot check would need K to grow until it finds matches (a rare $contains
  // match, a status): there the full query, which narrows on call_parts, is faster.
  if (!where.startsOnly) return undefined;
  // Rows without a start (v2 ends with a start time) are kept: their call's fields are not the row's.
  const starts = where.starts.length === 0 ? '' : ` AND (has_start = 0 OR (${where.starts.join(' AND ')}))`;
  const candidates = `FROM call_starts WHERE project_id = ${where.projectSql}${starts}`;
  return {
    limit,
    firstK: Math.max(64, (offset + limit) * OVERFETCH),
    probeSql: (k) =>
      `SELECT count() AS n, min(started_at) AS t FROM (SELECT started_at ${candidates} ORDER BY started_at DESC LIMIT ${sqlCount(k)})`,
    pageSql: (k, probe) => {
      const all = probe.n < k;
      const since = all ? '' : ` AND started_at >= ${sqlNumber(probe.t)}`;
      return compileCallsSelect(query, {
        narrow: [`id IN (SELECT id ${candidates}${since})`],
        merged: all ? [] : [`ifNull(started_at > ${sqlNumber(probe.t)}, 0)`],
      });
    },
  };
}
