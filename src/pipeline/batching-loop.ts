import { FlushTracker } from './flush-tracker.js';
import type { MemoryBatches } from './memory-batches.js';
import type { OutageProber } from './outage-prober.js';
import type { ItemKind, SendQueue } from './send-queue.js';
import type { Spiller } from './spiller.js';
import type { SpoolDrainer } from './spool-drainer.js';

export interface LoopOptions {
  batchIntervalMs: number;
  retryDeadlineMs: number;
  durability: 'memory' | 'spool';
}

/** What a flush of the loop settled to; CallPipeline adds the counts. */
export interface LoopFlush {
  /** The timeout passed before everything the flush covers was settled. */
  timedOut: boolean;
  /** Records the flush covers that wait in the disk spool (fsynced). */
  spooled: number;
}

/**
 * The one background loop: decides what leaves when. A memory batch leaves the send queue when full,
 * when its oldest item has waited `batchIntervalMs`, or at once when a flush covers it (the flush
 * tracker's watermark); spooled batches leave in order, one at a time; during an outage everything
 * goes to the spool and only the prober's probes go out. Every send it starts comes back to it as a
 * promise (`settled`): waiting flushes may resolve, and the next batches go. Its own timers never keep
 * the process alive; only a flush() being waited on does, until it resolves.
 *
 * What counts as settled: accepted, rejected or given up on; and, while the server is unreachable
 * (an outage), safely in the disk spool. With the server reachable, a flush waits for the spool too.
 */
export class BatchingLoop {
  private readonly tracker = new FlushTracker();
  private timer: NodeJS.Timeout | undefined;
  private pumpScheduled: NodeJS.Immediate | undefined;
  /**
   * The last timeout and immediate the loop made, kept after they ran. V8 keeps the hidden class of a
   * Node timer made inside a traced call (one with the async context's slots) only while such a timer
   * lives, and a full GC between two bursts that found none threw away the optimized `enqueue` and
   * `pumpSoon`, compiled again during the next burst (see keepShape in v8-fast-paths.ts). Each holds
   * the frame of the call it was made in: one call and its ancestors, at most.
   */
  private lastTimeout: NodeJS.Timeout | undefined;
  private lastImmediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly queue: SendQueue,
    private readonly memory: MemoryBatches,
    private readonly drainer: SpoolDrainer,
    private readonly outage: OutageProber,
    private readonly spiller: Spiller,
    private readonly options: LoopOptions,
  ) {}

  /** Queues a record: in memory, or in the spool (durability `spool`, an outage, or a full queue). */
  enqueue(kind: ItemKind, json: string, nowMs?: number): void {
    const spoolFirst = this.spiller.hasSpool && (this.options.durability === 'spool' || this.outage.active);
    if (spoolFirst) this.memory.spillQueued(this.spiller); // an outage just began: older records first
    if (spoolFirst || !this.queue.push(kind, json, nowMs)) {
      this.spiller.spillJson(kind, this.queue.takeSeq(), json);
    }
    if (this.memory.fullBatchReady() || this.drainer.fullBatchReady()) this.pumpSoon();
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
  async flush(timeoutMs: number, keepAlive = true): Promise<LoopFlush> {
    const upTo = this.queue.lastSeq;
    let timedOut = false;
    if (this.lowestUnsettled() <= upTo) {
      this.tracker.cover(upTo);
      this.pump();
      if (this.lowestUnsettled() <= upTo) timedOut = await this.tracker.wait(upTo, timeoutMs, keepAlive);
    }
    const spooled = this.drainer.pendingUpTo(upTo);
    if (spooled > 0) this.spiller.syncNow();
    return { timedOut, spooled };
  }

  /** Stops the timers. A later enqueue starts the loop again. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.outage.stop();
  }

  /** The lowest sequence number not settled yet (see the class comment), or Infinity. */
  private lowestUnsettled(): number {
    const spooled = this.outage.active ? Infinity : this.drainer.lowestUnsettled();
    return Math.min(this.memory.lowestUnsettled(), spooled);
  }

  private pump(): void {
    if (this.outage.active) {
      this.memory.spillQueued(this.spiller);
      const due = this.drainer.busy ? undefined : this.outage.nextProbe();
      void due?.then(() => this.sendSpooled(0));
      return;
    }
    if (this.drainer.ready(this.tracker.watermark)) void this.sendSpooled(this.options.retryDeadlineMs);
    for (const sent of this.memory.sendDue(this.tracker.watermark)) void sent.then(() => this.settled());
    if (this.queue.length > 0 || !this.drainer.isIdle()) this.armTimer();
  }

  /** Sends the spool's oldest batch (`deadlineMs` 0: a probe); its outcome begins or ends the outage. */
  private async sendSpooled(deadlineMs: number): Promise<void> {
    const result = await this.drainer.sendNext(deadlineMs);
    if (result === 'unreachable') this.outage.begin();
    else if (result === 'sent' || !this.drainer.busy) this.outage.end(); // empty: nothing left to probe with
    this.settled();
  }

  /** Something settled: the loop goes on, then the flushes waiting on it may resolve. */
  private settled(): void {
    this.pump();
    this.tracker.settle(() => this.lowestUnsettled());
  }

  private armTimer(): void {
    if (this.timer || this.outage.active) return;
    const headQueuedAt = this.queue.headQueuedAt;
    if (headQueuedAt === undefined && !this.drainer.waitsForTimer()) return;
    const waited = headQueuedAt === undefined ? 0 : Date.now() - headQueuedAt;
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
    this.lastTimeout = this.timer;
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
    this.lastImmediate = this.pumpScheduled;
  }
}
