import { STEP_DONE, stepValue } from '../sdk/traced-iterators.js';

/** Observes a streamed response: each chunk, and the end (done, thrown, or abandoned by the reader). */
export interface StreamObserver {
  chunk(value: unknown): void;
  end(error: { thrown: unknown } | undefined): void;
}

type Step = Promise<IteratorResult<unknown>>;

/**
 * An async iterator that yields exactly what `inner` yields (same objects, same errors) and tells
 * `observer` about it. `return()` (a `break` out of for-await) ends the observation too.
 */
export function observeIterator(
  inner: AsyncIterator<unknown>,
  observer: StreamObserver,
): AsyncIterableIterator<unknown> {
  return new ObservedIterator(inner, observer);
}

/**
 * The reader gets the inner step's promise itself; the observation is a reaction registered on it
 * first, so it sees each step before the reader resumes, without an extra promise hop per chunk. One
 * object per stream: the methods are the prototype's, the three reactions are made once.
 */
class ObservedIterator implements AsyncIterableIterator<unknown> {
  private ended = false;
  private readonly onNext = (r: IteratorResult<unknown>): void => this.stepped(r, false);
  private readonly onReturn = (r: IteratorResult<unknown>): void => this.stepped(r, true);
  private readonly onThrown = (thrown: unknown): void => this.end({ thrown });

  constructor(
    private readonly inner: AsyncIterator<unknown>,
    private readonly observer: StreamObserver,
  ) {}

  next(...args: [] | [unknown]): Step {
    let p: Step;
    try {
      p = this.inner.next(...args);
    } catch (thrown) {
      this.end({ thrown });
      throw thrown;
    }
    return this.settle(p, this.onNext);
  }

  return(value?: unknown): Step {
    const ret = this.inner.return; // read once, as for-await would
    if (!ret) {
      this.end(undefined);
      return Promise.resolve({ done: true, value });
    }
    let p: Step;
    try {
      p = ret.call(this.inner, value);
    } catch (thrown) {
      this.end({ thrown });
      throw thrown;
    }
    return this.settle(p, this.onReturn);
  }

  throw(e?: unknown): Step {
    const thr = this.inner.throw;
    if (!thr) {
      this.end({ thrown: e });
      return Promise.reject(e as Error);
    }
    let p: Step;
    try {
      p = thr.call(this.inner, e);
    } catch (thrown) {
      this.end({ thrown });
      throw thrown;
    }
    return this.settle(p, this.onNext);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settle(step: Step, onStep: (r: IteratorResult<unknown>) => void): Step {
    const p = Promise.resolve(step);
    p.then(onStep, this.onThrown);
    return p;
  }

  /** A step of any shape goes back to the reader untouched; an unreadable one ends the observation. */
  private stepped(r: IteratorResult<unknown>, abandoned: boolean): void {
    const value = stepValue(r);
    if (value === STEP_DONE || abandoned) this.end(undefined);
    else if (!this.ended) {
      try {
        this.observer.chunk(value);
      } catch {
        // recording a chunk must not change what the reader gets
      }
    }
  }

  private end(error: { thrown: unknown } | undefined): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.observer.end(error);
    } catch {
      // as above
    }
  }
}
