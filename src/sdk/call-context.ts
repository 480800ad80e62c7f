import { AsyncLocalStorage } from 'node:async_hooks';
import type { JsonObject } from '../shared/call-types.js';
import type { CallHandle, RunningCall } from './running-call.js';
import { toJsonSafe } from './serialize.js';

/** What flows along the async call graph: the running call and the attributes in scope. */
export interface TraceFrame {
  readonly call: RunningCall | undefined;
  /** Attributes from enclosing `withAttributes`, already made JSON-safe. */
  readonly attributes: JsonObject | undefined;
  readonly threadId: string | undefined;
}

export const traceContext = new AsyncLocalStorage<TraceFrame>();

export function currentFrame(): TraceFrame | undefined {
  return traceContext.getStore();
}

/** The call running in this async context, if any. */
export function getCurrentCall(): CallHandle | undefined {
  return traceContext.getStore()?.call;
}

/**
 * Runs `fn` so that every call started inside (at any depth, across awaits) carries `attributes`,
 * merged over those of enclosing `withAttributes`. Returns what `fn` returns.
 */
export function withAttributes<T>(attributes: Record<string, unknown>, fn: () => T): T {
  const outer = traceContext.getStore();
  let safe: JsonObject;
  try {
    const converted = toJsonSafe(attributes);
    safe =
      converted !== null && typeof converted === 'object' && !Array.isArray(converted)
        ? (converted as JsonObject)
        : {};
  } catch {
    safe = {};
  }
  const merged = outer?.attributes ? { ...outer.attributes, ...safe } : safe;
  return traceContext.run({ call: outer?.call, attributes: merged, threadId: outer?.threadId }, fn);
}

/**
 * Runs `fn` as part of a conversation thread: calls started inside carry `thread_id`, and each
 * outermost call inside is a turn (`turn_id` = its id, inherited by its descendants).
 */
export function withThread<T>(threadId: string, fn: () => T): T {
  const outer = traceContext.getStore();
  return traceContext.run(
    { call: outer?.call, attributes: outer?.attributes, threadId: String(threadId) },
    fn,
  );
}
