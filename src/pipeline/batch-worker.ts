import type { BatchSender, SendCounters, WireItem } from './batch-sender.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import { backoffDelay } from './retry-policy.js';
import { SettleWaiters } from './settle-waiters.js';
import type { ItemKind, QueueItem, SendQueue } from './send-queue.js';
import type { Spool } from './spool/spool.js';

export interface WorkerOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  batchIntervalMs: number;
  maxConcurrentRequests: number;
  retryDeadlineMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** `spool`: every record goes through the disk spool; `memory`: only under pressure or outage. */
  durability: 'memory' | 'spool';
}

/** What flush() and finish() resolve with. Counts are of items settled while the caller waited. */
export interface FlushReport {
  /** Items (complete calls, starts, ends) the server accepted. */
  sent: number;
  /** Items given up on, or rejected by the server (see the dead-letter file). */
  failed: number;
  /** Calls still running whose start waits for its end (untouched by flush). */
  pendingCalls: number;
  /** Items waiting in the disk spool (e.g. while the server is unreachable). */
  spooled: number;
  /** True if the timeout passed before everything queued before the call was settled. */
  timedOut: boolean;
}

export interface WorkerCounters extends SendCounters {
  /** Items written to the disk spool because of memory pressure or an outage. */
  spilled: number;
  /** Items lost: the queue and the spool were both full (or the spool is off). */
  dropped: number;
}

/**
 * The one background worker. Memory batches leave the send queue when full, when their oldest item
 * has waited `batchIntervalMs`, or at once for a flush; spooled items are sent one batch at a time,
 * in order. When the server stays unreachable past the retry deadline the worker enters an outage:
 * queued and new items go to the disk spool, and one probe at a time (with backoff) tries the spool's
 * oldest batch until the server answers. Its timers never keep the process alive. flush() waits on a
 * sequence watermark: every item queued before it, wherever it is now, must be settled.
 */
export class BatchWorker {
  private readonly inFlight = new Set<QueueItem[]>();
  private spoolBusy = false;
  private outage = false;
  private probeAttempt = 0;
  private readonly waiters = new SettleWaiters();
  private drainUpTo = 0;
  private timer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private pumpScheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly queue: SendQueue,
    private readonly sender: BatchSender,
    /** Shared with the sender, which counts sent, failed, rejected and truncated items. */
    readonly counters: WorkerCounters,
    private readonly options: WorkerOptions,
    private readonly log: RateLimitedLogger,
    private readonly spool: Spool | undefined,
  ) {}

  get inFlightCount(): number {
    let n = 0;
    for (const b of this.inFlight) n += b.length;
    return n;
  }

  get spooled(): number {
    return this.spool?.ownPending ?? 0;
  }

  isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0 && !this.spoolBusy && !this.spool?.hasUnread();
  }

  /** Queues a record: in memory, or in the spool (durability `spool`, an outage, or a full queue). */
  enqueue(kind: ItemKind, json: string, nowMs?: number): void {
    const toSpool = this.spool && (this.options.durability === 'spool' || this.outage);
    if (toSpool || !this.queue.push(kind, json, nowMs)) {
      this.spill({ kind, seq: this.queue.takeSeq(), json });
    }
    if (this.fullBatchReady() || this.fullSpoolBatchReady()) this.pumpSoon();
    else this.armTimer();
  }

  /** Starts sending what an earlier process left in the spool. */
  resume(): void {
    this.pump();
  }

  async flush(timeoutMs: number, pendingCalls: () => number): Promise<FlushReport> {
    const c0 = { ...this.counters };
    const upTo = this.queue.lastSeq;
    let timedOut = false;
    if (this.lowestUnsettled() <= upTo) {
      if (upTo > this.drainUpTo) this.drainUpTo = upTo;
      this.pump();
      timedOut = await this.waiters.wait(upTo, timeoutMs);
    }
    const c = this.counters;
    return {
      sent: c.sent - c0.sent,
      failed: c.failed - c0.failed + c.rejected - c0.rejected + c.dropped - c0.dropped,
      pendingCalls: pendingCalls(),
      spooled: this.spooled,
      timedOut,
    };
  }

  /** Stops the timers. A later enqueue starts the worker again. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.timer = this.probeTimer = undefined;
  }

  /** process.exit(): writes what is in memory (queued, in flight, and `extra`) to the spool, synchronously. */
  spillSync(extra: WireItem[]): number {
    if (!this.spool) return 0;
    let n = 0;
    const all: WireItem[] = [...extra];
    for (const batch of this.inFlight) all.push(...batch);
    for (let item = this.queue.shift(); item; item = this.queue.shift()) all.push(item);
    for (const item of all) if (this.spill(item)) n++;
    this.spool.syncNow();
    return n;
  }

  private spill(item: WireItem): boolean {
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

  private fullBatchReady(): boolean {
    return this.queue.length >= this.options.maxBatchSize || this.queue.bytes >= this.options.maxBatchBytes;
  }

  /** In durability `spool` mode records wait in the spool: a full batch there leaves at once too. */
  private fullSpoolBatchReady(): boolean {
    return this.options.durability === 'spool' && (this.spool?.ownPending ?? 0) >= this.options.maxBatchSize;
  }

  private spoolReady(): boolean {
    const spool = this.spool;
    if (!spool || this.spoolBusy || !spool.hasUnread()) return false;
    if (this.options.durability === 'memory') return true; // spilled or recovered items: send now
    return spool.oldestSeq() <= this.drainUpTo || spool.ownPending >= this.options.maxBatchSize;
  }

  private armTimer(): void {
    if (this.timer || this.outage) return;
    const head = this.queue.peek();
    const spoolWaiting = this.options.durability === 'spool' && (this.spool?.ownPending ?? 0) > 0;
    if (!head && !spoolWaiting) return;
    const waited = head ? Date.now() - head.queuedAt : 0;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.queue.lastSeq > this.drainUpTo) this.drainUpTo = this.queue.lastSeq;
        this.pump();
      },
      // Clamped: item times may come from the monotonic clock, so a wall-clock step cannot delay a batch.
      Math.min(this.options.batchIntervalMs, Math.max(0, this.options.batchIntervalMs - waited)),
    );
    this.timer.unref();
  }

  /**
   * A full batch leaves on the next turn of the event loop, not on the stack of the user's call that
   * filled it: building, compressing and posting a batch never lands on one traced call.
   */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = setImmediate(() => {
      this.pumpScheduled = undefined;
      this.pump();
    });
    this.pumpScheduled.unref();
  }

  private pump(): void {
    if (this.outage) {
      this.armProbe();
      return;
    }
    if (this.spoolReady()) void this.sendSpoolBatch(this.options.retryDeadlineMs);
    while (this.inFlight.size < this.options.maxConcurrentRequests) {
      const head = this.queue.peek();
      if (!head || (head.seq > this.drainUpTo && !this.fullBatchReady())) break;
      const batch = this.takeBatch();
      this.inFlight.add(batch);
      void this.sendMemoryBatch(batch);
    }
    if (this.queue.length > 0 || this.spool?.hasUnread()) this.armTimer();
  }

  private takeBatch(): QueueItem[] {
    const first = this.queue.shift()!;
    const items = [first];
    if (first.kind === 'complete') {
      let bytes = first.json.length;
      for (let next = this.queue.peek(); next && next.kind === 'complete'; next = this.queue.peek()) {
        if (
          items.length >= this.options.maxBatchSize ||
          bytes + next.json.length > this.options.maxBatchBytes
        )
          break;
        bytes += next.json.length;
        items.push(this.queue.shift()!);
      }
    }
    return items;
  }

  private async sendMemoryBatch(batch: QueueItem[]): Promise<void> {
    try {
      const left = await this.sender.send(batch[0]!.kind, batch, this.options.retryDeadlineMs);
      if (left.length > 0) this.unreachable(left);
    } catch (err) {
      this.unreachable(batch, err);
    } finally {
      this.inFlight.delete(batch);
      this.settleWaiters();
      this.pump();
    }
  }

  private async sendSpoolBatch(deadlineMs: number): Promise<void> {
    const spool = this.spool!;
    const batch = spool.read(this.options.maxBatchSize, this.options.maxBatchBytes);
    if (!batch) {
      if (this.outage) this.endOutage(); // nothing left to probe with
      return;
    }
    this.spoolBusy = true;
    try {
      if (await this.sender.sendMixed(batch.items, deadlineMs)) {
        spool.commit(batch);
        if (this.outage) this.endOutage();
      } else {
        spool.rewind();
        this.beginOutage();
      }
    } catch (err) {
      spool.rewind();
      this.log.warn('spool-send', `could not send spooled records: ${String(err)}`);
      this.beginOutage();
    } finally {
      this.spoolBusy = false;
      this.settleWaiters();
      this.pump();
    }
  }

  /** Items the server could not take in time: spool them and enter an outage, or count them lost. */
  private unreachable(items: WireItem[], err?: unknown): void {
    if (!this.spool) {
      this.counters.failed += items.length;
      const why = err ? `: ${String(err)}` : '';
      this.log.warn('send-failed', `could not send ${items.length} call record(s), server unreachable${why}`);
      return;
    }
    for (const item of items) this.spill(item);
    this.beginOutage();
  }

  private beginOutage(): void {
    if (!this.spool) return;
    if (!this.outage) {
      this.outage = true;
      this.log.warn(
        'outage',
        `server unreachable: spooling call records to ${this.spool.dir} until it answers`,
      );
    }
    for (let item = this.queue.shift(); item; item = this.queue.shift()) this.spill(item);
  }

  private endOutage(): void {
    this.outage = false;
    this.probeAttempt = 0;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private armProbe(): void {
    if (this.probeTimer || this.spoolBusy) return;
    const delay = backoffDelay(this.probeAttempt++, this.options.retryBaseMs, this.options.retryMaxMs);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.sendSpoolBatch(0);
    }, delay);
    this.probeTimer.unref();
  }

  private lowestUnsettled(): number {
    let lowest = this.queue.peek()?.seq ?? Infinity;
    for (const b of this.inFlight) if (b[0]!.seq < lowest) lowest = b[0]!.seq;
    if (this.spool) lowest = Math.min(lowest, this.spool.oldestSeq());
    return lowest;
  }

  private settleWaiters(): void {
    this.waiters.settle(() => this.lowestUnsettled());
  }
}
