/**
 * Buffers for request bodies that are gzipped before they are sent, reused from batch to batch. Such
 * a body (~0.5 MB for 1 000 records) is dead once compressed, but off-heap memory is freed only by
 * V8's next GC, which external memory alone triggers late: a burst's 50 batches piled up ~26 MB of
 * dead bodies during its flush before one ran. At most one buffer per request in flight is kept.
 */
export class BodyPool {
  private readonly free: Buffer[] = [];

  /** `keep`: buffers held for reuse (one per concurrent request). */
  constructor(private readonly keep: number) {}

  /** A buffer of at least `size` bytes: the body is its first `size` bytes. */
  acquire(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i]!.length >= size) return this.free.splice(i, 1)[0]!;
    }
    return Buffer.allocUnsafeSlow(Math.max(size, MIN_BYTES));
  }

  /**
   * Gives a buffer back once nothing reads it any more. A buffer much larger than a batch (a batch of
   * huge records) is left to the GC rather than held for ever.
   */
  release(buf: Buffer): void {
    if (this.free.length < this.keep && buf.length <= MAX_KEPT_BYTES) this.free.push(buf);
  }
}

/** Smallest pooled buffer: room for a typical 1 000-record batch, so buffers rarely need replacing. */
const MIN_BYTES = 1024 * 1024;
const MAX_KEPT_BYTES = 4 * 1024 * 1024;
