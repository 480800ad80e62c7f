import type { BatchSender } from './batch-sender.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import type { Spool } from './spool/spool.js';

export interface SpoolDrainerOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  durability: 'memory' | 'spool';
}

/** How sending the spool's oldest batch went: accepted, not reachable (it stays), or nothing to send. */
export type DrainResult = 'sent' | 'unreachable' | 'empty';

/**
 * The read side of the disk spool: sends its oldest batch, one at a time and in order, and
 * acknowledges it once the server settled all of it; a batch that did not get through is read
 * again later. Knows what waits in the spool and when a spooled batch may leave.
 */
export class SpoolDrainer {
  private sending = false;

  constructor(
    private readonly spool: Spool | undefined,
    private readonly sender: BatchSender,
    private readonly options: SpoolDrainerOptions,
    private readonly log: RateLimitedLogger,
  ) {}

  /** A spooled batch is on its way. */
  get busy(): boolean {
    return this.sending;
  }

  /** Records of this process waiting in the spool. */
  get pending(): number {
    return this.spool?.ownPending ?? 0;
  }

  /**
   * Records waiting in the spool that a flush up to `seq` covers: this process's up to `seq`, and any
   * left by earlier processes (a flush waits for those too).
   */
  pendingUpTo(seq: number): number {
    const spool = this.spool;
    if (!spool) return 0;
    return spool.ownPendingUpTo(seq) + (spool.oldestSeq() === 0 ? spool.adoptedPending() : 0);
  }

  /** Nothing being sent from the spool, and nothing in it left to send. */
  isIdle(): boolean {
    return !this.sending && !this.spool?.hasUnread();
  }

  /** The lowest sequence number waiting in the spool (0 for records of an earlier process), or Infinity. */
  lowestUnsettled(): number {
    return this.spool?.oldestSeq() ?? Infinity;
  }

  /** In durability `spool` a full batch waiting in the spool leaves at once. */
  fullBatchReady(): boolean {
    return this.options.durability === 'spool' && this.pending >= this.options.maxBatchSize;
  }

  /** Durability `spool` with records waiting: the batch timer must run for them too. */
  waitsForTimer(): boolean {
    return this.options.durability === 'spool' && this.pending > 0;
  }

  /** A spooled batch can leave now: spilled or recovered items at once; in `spool` mode when drained. */
  ready(watermark: number): boolean {
    const spool = this.spool;
    if (!spool || this.sending || !spool.hasUnread()) return false;
    if (this.options.durability === 'memory') return true;
    return spool.oldestSeq() <= watermark || spool.ownPending >= this.options.maxBatchSize;
  }

  /** Sends the spool's oldest batch (`deadlineMs` 0: one attempt, a probe). Never rejects. */
  async sendNext(deadlineMs: number): Promise<DrainResult> {
    const spool = this.spool;
    const batch = this.sending
      ? undefined
      : spool?.read(this.options.maxBatchSize, this.options.maxBatchBytes);
    if (!spool || !batch) return 'empty';
    this.sending = true;
    try {
      if (await this.sender.sendMixed(batch.items, deadlineMs)) {
        spool.commit(batch);
        return 'sent';
      }
      spool.rewind();
      return 'unreachable';
    } catch (err) {
      spool.rewind();
      this.log.warn('spool-send', `could not send spooled records: ${String(err)}`);
      return 'unreachable';
    } finally {
      this.sending = false;
    }
  }
}
