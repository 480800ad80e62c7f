/**
 * Buffers for request bodies that are compressed before they are sent, reused from batch to batch. Such
 * a body (~0.75 MB for 2 000 records) is dead once compressed, but off-heap memory is freed only by
 * V8's next GC, which external memory alone triggers late: a burst's 50 batches piled up ~26 MB of
 * dead bodies during its flush before one ran. A buffer comes back as soon as its body is compressed,
 * so batches compressed synchronously (all but huge ones) share one; at most one per request in
 * flight is kept.
 */
export class BodyPool {
  private readonly free: Buffer[] = [];

  /** `keep`: buffers held for reuse (one per concurrent request). */
  constructor(private readonly keep: number) {}

  /** A buffer of at least `size` bytes (the smallest kept one that fits): the body is its first bytes. */
  acquire(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const len = this.free[i]!.length;
      if (len >= size && (best < 0 || len < this.free[best]!.length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    // Rounded up, so that the next batch, a little larger, still fits.
    return Buffer.allocUnsafeSlow(Math.ceil(size / ROUND_BYTES) * ROUND_BYTES);
  }

  /**
   * Gives a buffer back once nothing reads it any more. With `keep` buffers held already it replaces
   * the smallest, if larger (bodies grow: the buffers follow). A buffer much larger than a batch (a
   * batch of huge records) is left to the GC rather than held for ever.
   */
  release(buf: Buffer): void {
    if (buf.length > MAX_KEPT_BYTES) return;
    if (this.free.length < this.keep) {
      this.free.push(buf);
      return;
    }
    let smallest = 0;
    for (let i = 1; i < this.free.length; i++) {
      if (this.free[i]!.length < this.free[smallest]!.length) smallest = i;
    }
    if (this.free.length > 0 && this.free[smallest]!.length < buf.length) this.free[smallest] = buf;
  }
}

const ROUND_BYTES = 64 * 1024;
const MAX_KEPT_BYTES = 4 * 1024 * 1024;
