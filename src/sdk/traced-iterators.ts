import { traceContext, type TraceFrame } from './call-context.js';

/** Ends a generator op's call: with the yielded items, or with what was thrown. */
export interface IterationEnd {
  (items: unknown[], error?: { thrown: unknown }): void;
}

/**
 * Wraps a generator so each step runs in the op's trace context (ops called by the generator body
 * nest under it), the yielded items are collected as the call's output (up to `maxItems`), and the
 * call ends when iteration ends, throws, or is abandoned with `return()`.
 */
export function traceSyncIterator<T, R, N>(
  inner: Generator<T, R, N>,
  frame: TraceFrame,
  maxItems: number,
  end: IterationEnd,
): Generator<T, R, N> {
  const items: unknown[] = [];
  let done = false;
  const step = (fn: () => IteratorResult<T, R>, abandon: boolean): IteratorResult<T, R> => {
    let r: IteratorResult<T, R>;
    try {
      r = traceContext.run(frame, fn);
    } catch (thrown) {
      if (!done) {
        done = true;
        end(items, { thrown });
      }
      throw thrown;
    }
    if (!done && (r.done || abandon)) {
      done = true;
      end(items);
    } else if (!r.done && items.length < maxItems) items.push(r.value);
    return r;
  };
  const wrapped = {
    next: (...args: [] | [N]) => step(() => inner.next(...args), false),
    return: (value: R) => step(() => inner.return(value), true),
    throw: (e: unknown) => step(() => inner.throw(e), false),
    [Symbol.iterator]() {
      return wrapped;
    },
  };
  Object.setPrototypeOf(wrapped, Object.getPrototypeOf(inner));
  return wrapped as unknown as Generator<T, R, N>;
}

export function traceAsyncIterator<T, R, N>(
  inner: AsyncGenerator<T, R, N>,
  frame: TraceFrame,
  maxItems: number,
  end: IterationEnd,
): AsyncGenerator<T, R, N> {
  const items: unknown[] = [];
  let done = false;
  const step = async (
    fn: () => Promise<IteratorResult<T, R>>,
    abandon: boolean,
  ): Promise<IteratorResult<T, R>> => {
    let r: IteratorResult<T, R>;
    try {
      r = await traceContext.run(frame, fn);
    } catch (thrown) {
      if (!done) {
        done = true;
        end(items, { thrown });
      }
      throw thrown;
    }
    if (!done && (r.done || abandon)) {
      done = true;
      end(items);
    } else if (!r.done && items.length < maxItems) items.push(r.value);
    return r;
  };
  const wrapped = {
    next: (...args: [] | [N]) => step(() => inner.next(...args), false),
    return: (value: R | PromiseLike<R>) => step(() => inner.return(value), true),
    throw: (e: unknown) => step(() => inner.throw(e), false),
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  };
  Object.setPrototypeOf(wrapped, Object.getPrototypeOf(inner));
  return wrapped as unknown as AsyncGenerator<T, R, N>;
}
