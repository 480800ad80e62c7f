import { traceContext, type TraceFrame } from './call-context.js';

/** Ends a generator op's call: with the yielded items, or with what was thrown. */
export interface IterationEnd {
  (items: unknown[], error?: { thrown: unknown }): void;
}

/**
 * What a generator op's call has seen: the items yielded (up to `maxItems`, its recorded output), and
 * whether it has ended. The sync and async wrappers below feed it each step's outcome.
 */
class IterationRecord {
  private readonly items: unknown[] = [];
  private done = false;

  constructor(
    private readonly maxItems: number,
    private readonly end: IterationEnd,
  ) {}

  /**
   * A step returned: the call ends when iteration is done or was abandoned with `return()`. Reading
   * the step's result is guarded (a generator whose `next` was replaced may return anything): an
   * unreadable one ends the call.
   */
  stepped<R>(r: IteratorResult<unknown, R>, abandoned: boolean): void {
    if (this.done) return;
    const value = stepValue(r);
    if (value === STEP_DONE || abandoned) {
      this.done = true;
      this.end(this.items);
    } else if (this.items.length < this.maxItems) this.items.push(value);
  }

  threw(thrown: unknown): void {
    if (this.done) return;
    this.done = true;
    this.end(this.items, { thrown });
  }
}

/**
 * Wraps a generator so each step runs in the op's trace context (ops called by the generator body
 * nest under it), the yielded items are collected as the call's output, and the call ends when
 * iteration ends, throws, or is abandoned with `return()`.
 */
export function traceSyncIterator<T, R, N>(
  inner: Generator<T, R, N>,
  frame: TraceFrame,
  maxItems: number,
  end: IterationEnd,
): Generator<T, R, N> {
  const record = new IterationRecord(maxItems, end);
  const step = (fn: () => IteratorResult<T, R>, abandon: boolean): IteratorResult<T, R> => {
    let r: IteratorResult<T, R>;
    try {
      r = traceContext.run(frame, fn);
    } catch (thrown) {
      record.threw(thrown);
      throw thrown;
    }
    record.stepped(r, abandon);
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

/** The same for async generators. */
export function traceAsyncIterator<T, R, N>(
  inner: AsyncGenerator<T, R, N>,
  frame: TraceFrame,
  maxItems: number,
  end: IterationEnd,
): AsyncGenerator<T, R, N> {
  const record = new IterationRecord(maxItems, end);
  const step = async (
    fn: () => Promise<IteratorResult<T, R>>,
    abandon: boolean,
  ): Promise<IteratorResult<T, R>> => {
    let r: IteratorResult<T, R>;
    try {
      r = await traceContext.run(frame, fn);
    } catch (thrown) {
      record.threw(thrown);
      throw thrown;
    }
    record.stepped(r, abandon);
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

/** What {@link stepValue} gives for a step that is done, or that cannot be read. */
export const STEP_DONE: unique symbol = Symbol('weft.stepDone');

/**
 * The value of an iterator step, read as the user's loop would (`done`, then `value` if not done), or
 * {@link STEP_DONE} when it is done or reading it throws (a generator whose `next` was replaced may
 * return anything).
 */
export function stepValue(r: IteratorResult<unknown>): unknown {
  try {
    return r.done === true ? STEP_DONE : r.value;
  } catch {
    return STEP_DONE;
  }
}
