import { STEP_DONE, stepValue } from '../sdk/traced-iterators.js';

/** Observes a streamed response: each chunk, and the end (done, thrown, or abandoned by the reader). */
export interface StreamObserver {
  chunk(value: unknown): void;
  end(error: { thrown: unknown } | undefined): void;
}

/**
 * An async iterator that yields exactly what `inner` yields (same objects, same errors) and tells
 * `observer` about it. `return()` (a `break` out of for-await) ends the observation too.
 */
export function observeIterator(
  inner: AsyncIterator<unknown>,
  observer: StreamObserver,
): AsyncIterableIterator<unknown> {
  let ended = false;
  const end = (error: { thrown: unknown } | undefined): void => {
    if (ended) return;
    ended = true;
    try {
      observer.end(error);
    } catch {
      // recording the end must not change what the reader gets
    }
  };
  const chunk = (value: unknown): void => {
    try {
      observer.chunk(value);
    } catch {
      // as above
    }
  };
  // The reader gets the inner step's promise itself; the observation is a reaction registered on it
  // first, so it sees each step before the reader resumes, without an extra promise hop per chunk.
  // The reactions are made once per iterator, not per step.
  const step = (r: IteratorResult<unknown>, abandon: boolean): void => {
    // A step of any shape goes back to the reader untouched; an unreadable one ends the call.
    const value = stepValue(r);
    if (value === STEP_DONE || abandon) end(undefined);
    else chunk(value);
  };
  const onNext = (r: IteratorResult<unknown>): void => step(r, false);
  const onReturn = (r: IteratorResult<unknown>): void => step(r, true);
  const onThrown = (thrown: unknown): void => end({ thrown });
  const settle = (
    p: Promise<IteratorResult<unknown>>,
    abandon: boolean,
  ): Promise<IteratorResult<unknown>> => {
    p.then(abandon ? onReturn : onNext, onThrown);
    return p;
  };
  const it: AsyncIterableIterator<unknown> = {
    next(...args: [] | [unknown]) {
      let p: Promise<IteratorResult<unknown>>;
      try {
        p = inner.next(...args);
      } catch (thrown) {
        end({ thrown });
        throw thrown;
      }
      return settle(Promise.resolve(p), false);
    },
    return(value?: unknown) {
      const ret = inner.return; // read once, as for-await would
      if (!ret) {
        end(undefined);
        return Promise.resolve({ done: true, value });
      }
      let p: Promise<IteratorResult<unknown>>;
      try {
        p = ret.call(inner, value);
      } catch (thrown) {
        end({ thrown });
        throw thrown;
      }
      return settle(Promise.resolve(p), true);
    },
    throw(e?: unknown) {
      const thr = inner.throw;
      if (!thr) {
        end({ thrown: e });
        return Promise.reject(e as Error);
      }
      let p: Promise<IteratorResult<unknown>>;
      try {
        p = thr.call(inner, e);
      } catch (thrown) {
        end({ thrown });
        throw thrown;
      }
      return settle(Promise.resolve(p), false);
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
