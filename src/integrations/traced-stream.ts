import { observeIterator, type StreamObserver } from './traced-iterator.js';

/** Builds a streamed call's output from its chunks. */
export interface StreamAccumulator {
  add(chunk: unknown): void;
  /** The output so far: a response-shaped object (`model`, `usage` when known). */
  output(): unknown;
  /**
   * The output shares no object with the chunks (which the reader holds and may change): its record
   * can then be written after the stream's end, off the reader's path. Absent: false.
   */
  ownsOutput?(): boolean;
}

/** An SDK Stream (openai, @anthropic-ai/sdk): its `iterator` makes the async iterator every reader uses. */
export interface StreamLike {
  iterator: (...args: unknown[]) => AsyncIterator<unknown>;
  controller?: unknown;
}

/** How a traced stream ends: with its accumulated output, or with what it threw. */
export type StreamEnd = (output: unknown, error?: { thrown: unknown }) => void;

/**
 * Traces a Stream in place: its chunks go to `acc`, and `ended` is called once, when the stream is read
 * to its end, throws, is abandoned (`break`) or its request is aborted. The Stream's own `iterator` is
 * wrapped, so for-await, `.tee()` and `.toReadableStream()` all go through it; the first iterator made is
 * observed (a Stream can be iterated once). What readers get is unchanged.
 */
export function traceStream(stream: StreamLike, acc: StreamAccumulator, ended: StreamEnd): void {
  const trace = new StreamTrace(acc, ended);
  const original = stream.iterator;
  replace(stream, 'iterator', function (this: unknown, ...args: unknown[]) {
    return trace.observe(original.apply(this, args));
  });
  onAbort(stream.controller, trace);
}

/** What one traced stream has seen; one object for the observer and the end, made once per stream. */
class StreamTrace implements StreamObserver {
  private observed = false;
  private done = false;

  constructor(
    private readonly acc: StreamAccumulator,
    private readonly ended: StreamEnd,
  ) {}

  observe(inner: AsyncIterator<unknown>): AsyncIterator<unknown> {
    if (this.observed) return inner;
    this.observed = true;
    return observeIterator(inner, this);
  }

  chunk(value: unknown): void {
    try {
      this.acc.add(value);
    } catch {
      // a chunk of an unexpected shape: the output is what was accumulated
    }
  }

  end(error: { thrown: unknown } | undefined): void {
    if (this.done) return;
    this.done = true;
    try {
      if (error) this.ended(undefined, error);
      else this.ended(this.output());
    } catch {
      // recording the end must not change what the reader gets
    }
  }

  private output(): unknown {
    try {
      return this.acc.output();
    } catch {
      return null;
    }
  }
}

/**
 * Ends `trace` when the stream's request is aborted (a stream dropped unread, or aborted between two
 * reads; a reader that is reading sees the abort as the end of its iteration anyway). The SDKs abort a
 * stream's request only through `controller.abort()` (the caller's `signal`, the timeout, a `break`),
 * so the hook is on that method of this controller, not an `abort` listener on its signal: Node's
 * `addEventListener` costs more than the rest of a stream's tracing together.
 */
function onAbort(controller: unknown, trace: StreamTrace): void {
  if (!(controller instanceof AbortController)) return;
  const abort = controller.abort;
  Object.defineProperty(controller, 'abort', {
    value: function (this: unknown, ...args: unknown[]) {
      try {
        return Reflect.apply(abort, this, args);
      } finally {
        trace.end(undefined);
      }
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * Sets `o[key]` by assignment when it is an own writable data property (the SDK's Stream sets
 * `iterator` in its constructor): its attributes and the object's shape stay as they were. Otherwise
 * defines it as a non-enumerable own property that shadows the inherited one.
 */
function replace(o: object, key: string, value: unknown): void {
  if (Object.getOwnPropertyDescriptor(o, key)?.writable === true) (o as Record<string, unknown>)[key] = value;
  else Object.defineProperty(o, key, { value, writable: true, configurable: true, enumerable: false });
}
