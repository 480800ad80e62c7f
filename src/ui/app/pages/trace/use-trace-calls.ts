import { useEffect, useRef, useState } from 'react';
import { TRACE_TREE_COLUMNS, type CallRecord } from '../../../../shared/call-types.js';
import { CallTree } from '../../../lib/call-tree.js';
import { streamCalls } from '../../api/weft-api.js';
import { useInterval } from '../../hooks/use-interval.js';

/** Defaults of {@link useTraceCalls}. */
export const DEFAULTS = {
  /** While a call of the trace runs, look for changes this often (ms). @default 1000 */
  pollMs: 1000,
  /** Changed calls fetched per request when merging an update. @default 500 */
  fetchChunk: 500,
};

/** What a poll compares: a call is new, or its end arrived. */
const POLL_COLUMNS = ['id', 'ended_at'];

export interface TraceCalls {
  tree: CallTree | null;
  error: Error | undefined;
  /** True while any call of the trace runs (the trace is being watched). */
  live: boolean;
}

/**
 * The calls of a trace as a tree, kept up to date while some of them run: every `pollMs` the ids and end
 * times of the trace are compared with what is on screen, and only new or changed calls are fetched.
 * Moving to another trace aborts the previous trace's load and poll, so its calls never show up late.
 */
export function useTraceCalls(projectId: string, traceId: string): TraceCalls {
  const calls = useRef(new Map<string, CallRecord>());
  const [tree, setTree] = useState<CallTree | null>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  /** Aborted when the page moves to another trace: in-flight loads and polls of this one stop. */
  const current = useRef(new AbortController());

  useEffect(() => {
    const controller = new AbortController();
    current.current = controller;
    calls.current = new Map();
    setTree(null);
    setError(undefined);
    streamCalls(traceQuery(projectId, traceId, TRACE_TREE_COLUMNS), controller.signal).then(
      (list) => {
        for (const call of list) calls.current.set(call.id, call);
        setTree(CallTree.build(calls.current.values()));
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return () => controller.abort();
  }, [projectId, traceId]);

  const live = tree !== null && (tree.size === 0 || tree.runningIds().length > 0);
  useInterval(
    async () => {
      const seen = calls.current;
      const { signal } = current.current;
      const latest = await streamCalls(traceQuery(projectId, traceId, POLL_COLUMNS), signal);
      if (signal.aborted) return;
      const changed = latest
        .filter((c) => {
          const known = seen.get(c.id);
          return !known || known.status !== c.status || known.ended_at !== c.ended_at;
        })
        .map((c) => c.id);
      if (changed.length === 0) return;
      for (let i = 0; i < changed.length; i += DEFAULTS.fetchChunk) {
        const ids = changed.slice(i, i + DEFAULTS.fetchChunk);
        const body = {
          ...traceQuery(projectId, traceId, TRACE_TREE_COLUMNS),
          filter: { trace_ids: [traceId], call_ids: ids },
        };
        const fetched = await streamCalls(body, signal);
        if (signal.aborted) return; // another trace is on screen now
        for (const call of fetched) seen.set(call.id, call);
      }
      setTree(CallTree.build(seen.values()));
    },
    DEFAULTS.pollMs,
    live,
  );

  return { tree, error, live };
}

function traceQuery(projectId: string, traceId: string, columns: readonly string[]) {
  return {
    project_id: projectId,
    filter: { trace_ids: [traceId] },
    sort_by: [{ field: 'started_at', direction: 'asc' }],
    columns,
  };
}
