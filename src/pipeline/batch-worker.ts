import type { BatchSender, WireItem } from './batch-sender.js';
import type { FlushReport } from './flush-report.js';
import { FlushTracker, type UnsettledSource } from './flush-tracker.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import type { ItemKind, QueueItem, SendQueue } from './send-queue.js';
import type { SpoolDrainer } from './spool-drainer.js';

export interface WorkerOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  batchIntervalMs: number;
  maxConcurrentRequests: number;
  retryDeadlineMs: number;
}

/**
 * The batching loop, the one background worker. A memory batch leaves the send queue when full, when
 * its oldest item has waited `batchIntervalMs`, or at once for a flush (the tracker's watermark);
 * the spool drainer sends spooled batches and takes over during an outage. Its own timers never keep
 * the process alive; only a flush() being waited on does, until it resolves.
 */
export class BatchWorker implements UnsettledSource {
  /** Items given up on: the server stayed unreachable past the deadline and there is no spool. */
  readonly counters = { failed: 0 };
  private readonly inFlight = new Set<QueueItem[]>();
  private readonly tracker: FlushTracker;
  private timer: NodeJS.Timeout | undefined;
  private pumpScheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly queue: SendQueue,
    private readonly sender: BatchSender,
    private readonly drainer: SpoolDrainer,
    private readonly options: WorkerOptions,
    private readonly log: RateLimitedLogger,
  ) {
    this.tracker = new FlushTracker([this, drainer]);
  }

  get inFlightCount(): number {
    let n = 0;
    for (const b of this.inFlight) n += b.length;
    return n;
  }

  isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0 && this.drainer.isIdle();
  }

  lowestUnsettled(): number {
    let lowest = this.queue.peek()?.seq ?? Infinity;
    for (const b of this.inFlight) lowest = Math.min(lowest, b[0]!.seq);
    return lowest;
  }

  /** Queues a record: in memory, or in the spool (durability `spool`, an outage, or a full queue). */
  enqueue(kind: ItemKind, json: string, nowMs?: number): void {
    if (this.drainer.takesNewItems() || !this.queue.push(kind, json, nowMs)) {
      this.drainer.spill({ kind, seq: this.queue.takeSeq(), json });
    }
    if (this.fullBatchReady() || this.drainer.fullBatchReady()) this.pumpSoon();
    else this.armTimer();
  }

  /** Starts sending what an earlier process left in the spool. */
  resume(): void {
    this.pump();
  }

  /**
   * Sends everything queued now; resolves once all of it is settled, or at the timeout. The wait keeps
   * the process alive unless `keepAlive` is false.
   */
  async flush(timeoutMs: number, keepAlive = true): Promise<Omit<FlushReport, 'pendingCalls'>> {
    const before = this.undelivered();
    const sentBefore = this.sender.counters.sent;
    const upTo = this.queue.lastSeq;
    let timedOut = false;
    if (this.tracker.hasUnsettled(upTo)) {
      this.tracker.cover(upTo);
      this.pump();
      timedOut = await this.tracker.wait(upTo, timeoutMs, keepAlive);
    }
    const sent = this.sender.counters.sent - sentBefore;
    const failed = this.undelivered() - before;
    return { sent, failed, spooled: this.drainer.pending, timedOut };
  }

  /** Stops the timers. A later enqueue starts the worker again. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.drainer.stop();
  }

  /** process.exit(): writes what is in memory (queued, in flight, and `extra`) to the spool, synchronously. */
  spillSync(extra: WireItem[]): number {
    if (!this.drainer.hasSpool) return 0;
    const all: WireItem[] = [...extra];
    for (const batch of this.inFlight) all.push(...batch);
    for (let item = this.queue.shift(); item; item = this.queue.shift()) all.push(item);
    let n = 0;
    for (const item of all) if (this.drainer.spill(item)) n++;
    this.drainer.syncNow();
    return n;
  }

  /** Items that will not reach the server, whichever part gave up on them. */
  private undelivered(): number {
    return this.counters.failed + this.sender.counters.rejected + this.drainer.counters.dropped;
  }

  private fullBatchReady(): boolean {
    return this.queue.length >= this.options.maxBatchSize || this.queue.bytes >= this.options.maxBatchBytes;
  }

  private armTimer(): void {
    if (this.timer || this.drainer.outage) return;
    const head = this.queue.peek();
    if (!head && !this.drainer.waitsForTimer()) return;
    const waited = head ? Date.now() - head.queuedAt : 0;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.tracker.cover(this.queue.lastSeq);
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
    if (this.drainer.outage) {
      void this.drainer.probeLater()?.then((tried) => tried && this.settled());
      return;
    }
    if (this.drainer.ready(this.tracker.watermark)) {
      void this.drainer.sendNext(this.options.retryDeadlineMs).then((tried) => tried && this.settled());
    }
    while (this.inFlight.size < this.options.maxConcurrentRequests) {
      const head = this.queue.peek();
      if (!head || (head.seq > this.tracker.watermark && !this.fullBatchReady())) break;
      void this.sendMemoryBatch(this.takeBatch());
    }
    if (this.queue.length > 0 || !this.drainer.isIdle()) this.armTimer();
  }

  private takeBatch(): QueueItem[] {
    const first = this.queue.shift()!;
    const items = [first];
    let bytes = first.json.length;
    let next = this.queue.peek();
    while (first.kind === 'complete' && next?.kind === 'complete') {
      if (items.length >= this.options.maxBatchSize || bytes + next.json.length > this.options.maxBatchBytes)
        break;
      bytes += next.json.length;
      items.push(this.queue.shift()!);
      next = this.queue.peek();
    }
    this.inFlight.add(items);
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
      this.settled();
    }
  }

  /** Items the server could not take in time: spooled (an outage begins), or counted lost. */
  private unreachable(items: WireItem[], err?: unknown): void {
    if (this.drainer.hasSpool) return this.drainer.spillUnreachable(items);
    this.counters.failed += items.length;
    const why = err ? `: ${String(err)}` : '';
    this.log.warn('send-failed', `could not send ${items.length} call record(s), server unreachable${why}`);
  }

  /** Something settled: flushes waiting on it may resolve, and the loop goes on. */
  private settled(): void {
    this.tracker.settle();
    this.pump();
  }
}
