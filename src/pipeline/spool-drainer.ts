import type { BatchSender, WireItem } from './batch-sender.js';
import type { UnsettledSource } from './flush-tracker.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import { backoffDelay } from './retry-policy.js';
import type { SendQueue } from './send-queue.js';
import type { Spool } from './spool/spool.js';

export interface SpoolDrainerOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  retryBaseMs: number;
  retryMaxMs: number;
  durability: 'memory' | 'spool';
}

/** Counters the drainer alone mutates. */
export interface SpoolCounters {
  /** Items written to the disk spool because of memory pressure, an outage or durability `spool`. */
  spilled: number;
  /** Items lost: the queue and the spool were both full (or the spool is off). */
  dropped: number;
}

/**
 * The disk side of the pipeline: writes items to the spool (or counts them dropped without one),
 * sends the spool's oldest batch, one at a time and in order, and owns the outage state. When the
 * server stays unreachable the drainer is in an outage: the queue is emptied into the spool and one
 * probe at a time (with backoff) retries the oldest spooled batch until the server answers.
 */
export class SpoolDrainer implements UnsettledSource {
  readonly counters: SpoolCounters = { spilled: 0, dropped: 0 };
  private busy = false;
  private inOutage = false;
  private probeAttempt = 0;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spool: Spool | undefined,
    private readonly queue: SendQueue,
    private readonly sender: BatchSender,
    private readonly options: SpoolDrainerOptions,
    private readonly log: RateLimitedLogger,
  ) {}

  get outage(): boolean {
    return this.inOutage;
  }

  /** Records of this process waiting in the spool. */
  get pending(): number {
    return this.spool?.ownPending ?? 0;
  }

  get hasSpool(): boolean {
    return this.spool !== undefined;
  }

  /** Nothing being sent from the spool, and nothing in it left to send. */
  isIdle(): boolean {
    return !this.busy && !this.spool?.hasUnread();
  }

  lowestUnsettled(): number {
    return this.spool?.oldestSeq() ?? Infinity;
  }

  /** True if new items should skip the memory queue: durability `spool`, or an outage. */
  takesNewItems(): boolean {
    return this.spool !== undefined && (this.options.durability === 'spool' || this.inOutage);
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
    if (!spool || this.busy || !spool.hasUnread()) return false;
    if (this.options.durability === 'memory') return true;
    return spool.oldestSeq() <= watermark || spool.ownPending >= this.options.maxBatchSize;
  }

  /** Writes an item to the spool; without room (or a spool) it is dropped, counted and logged. */
  spill(item: WireItem): boolean {
    if (this.spool?.append(item.kind, item.seq, item.json)) {
      this.counters.spilled++;
      return true;
    }
    this.counters.dropped++;
    this.log.warn(
      'dropped',
      `send queue and spool full (or spool off): dropped a call record; ${this.counters.dropped} dropped so far`,
    );
    return false;
  }

  /** Items the server could not take in time: spooled, and the outage begins. */
  spillUnreachable(items: WireItem[]): void {
    for (const item of items) this.spill(item);
    this.beginOutage();
  }

  /**
   * Sends the spool's oldest batch; resolves once it was accepted or put back: true, or false if
   * there was nothing to send.
   */
  async sendNext(deadlineMs: number): Promise<boolean> {
    const spool = this.spool;
    const batch = spool?.read(this.options.maxBatchSize, this.options.maxBatchBytes);
    if (!spool || !batch) {
      if (this.inOutage) this.endOutage(); // nothing left to probe with
      return false;
    }
    this.busy = true;
    try {
      if (await this.sender.sendMixed(batch.items, deadlineMs)) {
        spool.commit(batch);
        if (this.inOutage) this.endOutage();
      } else {
        spool.rewind();
        this.beginOutage();
      }
    } catch (err) {
      spool.rewind();
      this.log.warn('spool-send', `could not send spooled records: ${String(err)}`);
      this.beginOutage();
    } finally {
      this.busy = false;
    }
    return true;
  }

  /**
   * During an outage: arms one probe (after a backoff delay) and resolves once it was tried.
   * Undefined if a probe is already armed or a spooled batch is on its way.
   */
  probeLater(): Promise<boolean> | undefined {
    if (this.probeTimer || this.busy) return undefined;
    const delay = backoffDelay(this.probeAttempt++, this.options.retryBaseMs, this.options.retryMaxMs);
    return new Promise((resolve) => {
      this.probeTimer = setTimeout(() => {
        this.probeTimer = undefined;
        void this.sendNext(0).then(resolve);
      }, delay);
      this.probeTimer.unref();
    });
  }

  /** Stops the probe timer (a pending probe is abandoned). */
  stop(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /** process.exit(): everything written so far reaches the disk now. */
  syncNow(): void {
    this.spool?.syncNow();
  }

  private beginOutage(): void {
    if (!this.spool) return;
    if (!this.inOutage) {
      this.inOutage = true;
      this.log.warn(
        'outage',
        `server unreachable: spooling call records to ${this.spool.dir} until it answers`,
      );
    }
    for (let item = this.queue.shift(); item; item = this.queue.shift()) this.spill(item);
  }

  private endOutage(): void {
    this.inOutage = false;
    this.probeAttempt = 0;
    this.stop();
  }
}
