import { SettleWaiters } from './settle-waiters.js';

/**
 * Owns what flush() means: the drain watermark (every item queued up to it leaves now, without
 * waiting for its batch to fill or its interval to pass) and the waiters that resolve once every item
 * up to their sequence number is settled. It holds no reference to the parts that hold items: the
 * batching loop, which sees every settlement, hands it the lowest sequence number still unsettled.
 */
export class FlushTracker {
  private upTo = 0;
  private readonly waiters = new SettleWaiters();

  /** Items with a sequence number up to this are being drained. */
  get watermark(): number {
    return this.upTo;
  }

  /** Raises the drain watermark to `seq` (never lowers it). */
  cover(seq: number): void {
    if (seq > this.upTo) this.upTo = seq;
  }

  /**
   * Resolves false once everything up to `seq` is settled, true if `timeoutMs` passed first; keeps the
   * process alive meanwhile unless `keepAlive` is false (see SettleWaiters).
   */
  wait(seq: number, timeoutMs: number, keepAlive = true): Promise<boolean> {
    return this.waiters.wait(seq, timeoutMs, keepAlive);
  }

  /** Something settled: resolves the waiters below the lowest unsettled sequence number. */
  settle(lowestUnsettled: () => number): void {
    this.waiters.settle(lowestUnsettled);
  }
}
