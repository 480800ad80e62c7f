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
    observer.end(error);
  };
  const settle = (p: Promise<IteratorResult<unknown>>, abandon: boolean): Promise<IteratorResult<unknown>> =>
    p.then(
      (r) => {
        if (r.done || abandon) end(undefined);
        else observer.chunk(r.value);
        return r;
      },
      (thrown: unknown) => {
        end({ thrown });
        throw thrown;
      },
    );
  const it: AsyncIterableIterator<unknown> = {
    next(...args: [] | [unknown]) {
      let p: Promise<IteratorResult<unknown>>;
      try {
        p = inner.next(...args);
      } catch (thrown) {
        end({ thrown });
        throw thrown;
      }
      return settle(p, false);
    },
    return(value?: unknown) {
      if (!inner.return) {
        end(undefined);
        return Promise.resolve({ done: true, value });
      }
      return settle(inner.return(value), true);
    },
    throw(e?: unknown) {
      if (!inner.throw) {
        end({ thrown: e });
        return Promise.reject(e as Error);
      }
      return settle(inner.throw(e), false);
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
