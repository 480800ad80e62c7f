import { WeftError } from '../shared/errors.js';

export interface NdjsonStreamOptions {
  chunkBytes: number;
  onError?: (err: unknown) => void;
  /** The source yields JSON text already (e.g. `TraceStore.queryCallsJson`): written as is. */
  preEncoded?: boolean;
  /**
   * Once a chunk is ready, the consumer must take it within this many ms, else the stream is aborted:
   * the source is closed, then `onIdle` runs, and unless it says it tore the transport down the stream
   * errors with a WeftError `STREAM_IDLE_TIMEOUT`. Unset: no limit.
   */
  idleTimeoutMs?: number;
  /**
   * Runs once the stream was aborted for idleness (the source is closed by then). Returns true when it
   * tore down what carries the stream (e.g. destroyed the socket); otherwise the stream errors.
   */
  onIdle?: () => boolean;
  /**
   * Runs once when the source is done with, however that happened: exhausted, failed (also up front),
   * cancelled by the consumer, or aborted for idleness. Resources tied to the source go here.
   */
  onClose?: () => void;
  /**
   * Rows are serialised for at most about this long (ms) before the stream yields to the event loop.
   * Unset: it yields only when the source does.
   */
  timeSliceMs?: number;
}

/**
 * Turns an async iterable into an NDJSON byte stream, one JSON value per line, pulled on demand: a row
 * is read from the source only when the consumer (the socket) wants more, so memory stays at about one
 * chunk however many rows there are and however slowly the client reads. The first row is read before
 * returning, so errors the source throws up front (a bad query) surface as an ordinary rejected
 * promise, before any response header is sent. A cancelled stream (client gone) closes the source, and
 * so does a consumer that stops taking chunks for `idleTimeoutMs`.
 *
 * The source is released as soon as it runs out; the idle timeout still applies until the consumer
 * took the last chunk.
 *
 * Lines are encoded straight into a chunk buffer of about `chunkBytes` (no concatenated string to
 * flatten and encode again): for a large trace this was a sizeable share of the server's time.
 */
export async function ndjsonStream(
  source: AsyncIterable<unknown>,
  options: NdjsonStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  let sourceOpen = true;
  /** Closes the source once (returning the iterator unless it ended by itself) and reports it. */
  const closeSource = async (ended: boolean): Promise<void> => {
    if (!sourceOpen) return;
    sourceOpen = false;
    try {
      if (!ended) await iterator.return?.();
    } finally {
      options.onClose?.();
    }
  };

  let pending: IteratorResult<unknown> | undefined;
  try {
    pending = await iterator.next();
  } catch (err) {
    await closeSource(true).catch(() => undefined);
    throw err;
  }
  const chunk = new ChunkWriter(options.chunkBytes);
  const idle = new IdleTimer(options.idleTimeoutMs);
  const slice = new TimeSlice(options.timeSliceMs);
  let lastChunkOut = false;
  let aborted = false;

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      idle.disarm();
      if (aborted) return;
      if (lastChunkOut) {
        controller.close();
        return;
      }
      slice.resume();
      try {
        while (!chunk.full) {
          const result: IteratorResult<unknown> = pending ?? (await iterator.next());
          pending = undefined;
          if (aborted) return;
          if (result.done) {
            await closeSource(true);
            if (chunk.empty) {
              controller.close();
              return;
            }
            lastChunkOut = true;
            break;
          }
          chunk.writeLine(options.preEncoded ? (result.value as string) : JSON.stringify(result.value));
          if (slice.spent()) await slice.yield();
        }
      } catch (err) {
        if (aborted) return;
        options.onError?.(err);
        controller.error(err);
        await closeSource(false).catch(() => undefined);
        return;
      }
      slice.pause();
      controller.enqueue(chunk.take());
      idle.arm(() => {
        aborted = true;
        void closeSource(lastChunkOut).finally(() => {
          if (!options.onIdle?.()) {
            controller.error(
              new WeftError(
                `the client read nothing for ${options.idleTimeoutMs} ms: stream aborted`,
                'STREAM_IDLE_TIMEOUT',
              ),
            );
          }
        });
      });
    },
    async cancel() {
      idle.disarm();
      aborted = true;
      await closeSource(false);
    },
  });
}

/** Fires `onIdle` once `ms` pass between `arm()` and the next `disarm()`; no `ms`, never fires. */
class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly ms: number | undefined) {}

  arm(onIdle: () => void): void {
    if (this.ms === undefined) return;
    this.disarm();
    this.timer = setTimeout(onIdle, this.ms);
    this.timer.unref();
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Bounds how long a stream keeps the event loop: `spent()` once `ms` of work went by since the stream
 * last yielded or resumed after waiting. A pull that follows a wait (the socket drained) starts a new
 * slice; one chained straight after the previous pull (the socket took everything at once) goes on
 * with the same slice.
 */
class TimeSlice {
  private since = 0;
  private lastActive = 0;
  private calls = 0;
  constructor(private readonly ms: number | undefined) {}

  /** A pull starts. */
  resume(): void {
    const now = performance.now();
    if (now - this.lastActive > 1) this.since = now;
    this.lastActive = now;
  }

  /** A pull ends (its chunk is handed out). */
  pause(): void {
    this.lastActive = performance.now();
  }

  /** Whether the slice is used up; the clock is read every 16 calls only (this runs per row). */
  spent(): boolean {
    if (this.ms === undefined || ++this.calls % 16 !== 0) return false;
    this.lastActive = performance.now();
    return this.lastActive - this.since > this.ms;
  }

  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = this.lastActive = performance.now();
  }
}

/**
 * Lines encoded as UTF-8 into one buffer, handed out once it holds `chunkBytes` or more. The buffer has
 * room for twice that, so that the line which fills a chunk rarely needs a larger buffer (and a copy).
 */
class ChunkWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(private readonly chunkBytes: number) {
    this.buffer = Buffer.allocUnsafe(2 * chunkBytes);
  }

  get full(): boolean {
    return this.used >= this.chunkBytes;
  }

  get empty(): boolean {
    return this.used === 0;
  }

  writeLine(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; + 1 for the newline.
    const worst = text.length * 3 + 1;
    if (this.used + worst > this.buffer.length) this.grow(this.used + worst);
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = 0x0a;
  }

  take(): Uint8Array {
    const out = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(2 * this.chunkBytes);
    this.used = 0;
    return out;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(needed);
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffer = bigger;
  }
}
