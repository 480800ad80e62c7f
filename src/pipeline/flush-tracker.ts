import { SettleWaiters } from './settle-waiters.js';

/** A part of the pipeline holding items not yet settled (queued, in flight, spooled). */
export interface UnsettledSource {
  /** The lowest sequence number it holds unsettled, or Infinity. */
  lowestUnsettled(): number;
}

/**
 * Owns what flush() means: the drain watermark (every item queued up to it leaves now, without
 * waiting for its batch to fill or its interval to pass) and the waiters that resolve once every item
 * up to their sequence number is settled, wherever it is: queue, in flight or spool.
 */
export class FlushTracker {
  private upTo = 0;
  private readonly waiters = new SettleWaiters();

  constructor(private readonly sources: readonly UnsettledSource[]) {}

  /** Items with a sequence number up to this are being drained. */
  get watermark(): number {
    return this.upTo;
  }

  /** Raises the drain watermark to `seq` (never lowers it). */
  cover(seq: number): void {
    if (seq > this.upTo) this.upTo = seq;
  }

  /** True if some item up to `seq` is still unsettled. */
  hasUnsettled(seq: number): boolean {
    return this.lowestUnsettled() <= seq;
  }

  /**
   * Resolves false once everything up to `seq` is settled, true if `timeoutMs` passed first; keeps the
   * process alive meanwhile unless `keepAlive` is false (see SettleWaiters).
   */
  wait(seq: number, timeoutMs: number, keepAlive = true): Promise<boolean> {
    return this.waiters.wait(seq, timeoutMs, keepAlive);
  }

  /** Re-checks the waiters; called whenever items settle. */
  settle(): void {
    this.waiters.settle(() => this.lowestUnsettled());
  }

  private lowestUnsettled(): number {
    let lowest = Infinity;
    for (const source of this.sources) lowest = Math.min(lowest, source.lowestUnsettled());
    return lowest;
  }
}
