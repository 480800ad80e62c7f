import type { CallRecord } from '../../../../shared/call-types.js';
import { tokenUsage, type TokenUsage } from '../../../lib/call-format.js';
import { CallTree } from '../../../lib/call-tree.js';
import { traceUsage } from '../../../lib/trace-usage.js';
import { streamCalls } from '../../api/weft-api.js';
import { useAsync } from '../../hooks/use-async.js';

/** Most calls read to total the traces of one page (their ids, parents and summaries only). */
const MAX_CALLS = 20_000;

/**
 * Token usage and cost of the traces on a calls page whose root reports none itself: traces written
 * over OTLP, where each span reports only its own LLM call (a root traced by weft's SDK already
 * includes its children's). Their calls are read once per page (ids, parents and summaries only, at
 * most MAX_CALLS) and totalled like the trace view does (trace-usage.ts).
 */
export function useTraceUsages(
  projectId: string,
  calls: CallRecord[] | undefined,
): ReadonlyMap<string, TokenUsage> | undefined {
  const traceIds = [
    ...new Set(
      (calls ?? [])
        .filter((c) => c.parent_id === null && c.trace_id !== null && tokenUsage(c.summary) === null)
        .map((c) => c.trace_id as string),
    ),
  ];
  const key = traceIds.join(',');
  const usages = useAsync(
    async (signal) => {
      const totals = new Map<string, TokenUsage>();
      if (traceIds.length === 0) return totals;
      const all = await streamCalls(
        {
          project_id: projectId,
          filter: { trace_ids: traceIds },
          columns: ['id', 'trace_id', 'parent_id', 'summary'],
          limit: MAX_CALLS,
        },
        signal,
      );
      const byTrace = new Map<string, CallRecord[]>();
      for (const c of all) {
        const id = c.trace_id ?? '';
        const list = byTrace.get(id);
        if (list) list.push(c);
        else byTrace.set(id, [c]);
      }
      for (const [traceId, traceCalls] of byTrace) {
        const usage = traceUsage(CallTree.build(traceCalls).roots);
        if (usage) totals.set(traceId, usage);
      }
      return totals;
    },
    [projectId, key],
  );
  return usages.data;
}
