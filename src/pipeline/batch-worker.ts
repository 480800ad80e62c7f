import type { RateLimitedLogger } from './rate-limited-logger.js';
import type { HttpTransport } from './http-transport.js';
import type { ItemKind, QueueItem, SendQueue } from './send-queue.js';

export interface WorkerOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  batchIntervalMs: number;
  maxConcurrentRequests: number;
}

/** Where each kind of item is posted, and how a body wraps the items' JSON. */
export interface Endpoints {
  complete: string;
  start: string;
  end: string;
}

/** What flush() and finish() resolve with. Counts are of items settled while the caller waited. */
export interface FlushReport {
  /** Items (complete calls, starts, ends) the server accepted. */
  sent: number;
  /** Items given up on after retries or rejected by the server. */
  failed: number;
  /** Calls still running whose start waits for its end (untouched by flush). */
  pendingCalls: number;
  /** True if the timeout passed before everything queued before the call was settled. */
  timedOut: boolean;
}

interface Batch {
  kind: ItemKind;
  items: QueueItem[];
  minSeq: number;
}

interface Waiter {
  upTo: number;
  resolve: () => void;
}

/**
 * The one background worker: takes items from the send queue into batches and posts them. A batch
 * leaves when it is full (items or bytes), when its oldest item has waited `batchIntervalMs`, or at
 * once for a flush. Its timer never keeps the process alive. flush() waits on a sequence watermark:
 * it resolves when every item queued before it has been settled, whatever batch carried it.
 */
export class BatchWorker {
  readonly counters = { sent: 0, failed: 0 };
  private readonly inFlight = new Set<Batch>();
  private waiters: Waiter[] = [];
  private drainUpTo = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: SendQueue,
    private readonly transport: HttpTransport,
    private readonly endpoints: Endpoints,
    private readonly options: WorkerOptions,
    private readonly log: RateLimitedLogger,
  ) {}

  /** Items taken from the queue and not settled yet. */
  get inFlightCount(): number {
    let n = 0;
    for (const b of this.inFlight) n += b.items.length;
    return n;
  }

  /** Called after items were queued. */
  notify(): void {
    if (this.fullBatchReady()) this.pump();
    else this.armTimer();
  }

  /** Sends everything queued so far and resolves once it is settled (or the timeout passes). */
  async flush(timeoutMs: number, pendingCalls: () => number): Promise<FlushReport> {
    const sent0 = this.counters.sent;
    const failed0 = this.counters.failed;
    const upTo = this.queue.lastSeq;
    let timedOut = false;
    if (this.lowestUnsettled() <= upTo) {
      if (upTo > this.drainUpTo) this.drainUpTo = upTo;
      this.pump();
      timedOut = await this.waitSettled(upTo, timeoutMs);
    }
    return {
      sent: this.counters.sent - sent0,
      failed: this.counters.failed - failed0,
      pendingCalls: pendingCalls(),
      timedOut,
    };
  }

  /** Stops the timer. A later notify() starts the worker again. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private waitSettled(upTo: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(true);
      }, timeoutMs);
      timer.unref();
      const waiter: Waiter = {
        upTo,
        resolve: () => {
          clearTimeout(timer);
          resolve(false);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private fullBatchReady(): boolean {
    return this.queue.length >= this.options.maxBatchSize || this.queue.bytes >= this.options.maxBatchBytes;
  }

  private armTimer(): void {
    if (this.timer || this.queue.length === 0) return;
    const head = this.queue.peek();
    const waited = head ? Date.now() - head.queuedAt : 0;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.queue.lastSeq > this.drainUpTo) this.drainUpTo = this.queue.lastSeq;
        this.pump();
      },
      Math.max(0, this.options.batchIntervalMs - waited),
    );
    this.timer.unref();
  }

  private pump(): void {
    while (this.inFlight.size < this.options.maxConcurrentRequests) {
      const head = this.queue.peek();
      if (!head || (head.seq > this.drainUpTo && !this.fullBatchReady())) break;
      const batch = this.takeBatch();
      this.inFlight.add(batch);
      void this.send(batch);
    }
    if (this.queue.length > 0) this.armTimer();
    else this.stop();
  }

  private takeBatch(): Batch {
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
    return { kind: first.kind, items, minSeq: first.seq };
  }

  private async send(batch: Batch): Promise<void> {
    try {
      await this.sendItems(batch.kind, batch.items);
    } catch (err) {
      this.fail(batch.items.length, `unexpected error while sending: ${String(err)}`);
    } finally {
      this.inFlight.delete(batch);
      this.settleWaiters();
      this.pump();
    }
  }

  /** Sends items of one kind; a 413 on a batch of several splits it in halves. */
  private async sendItems(kind: ItemKind, items: QueueItem[]): Promise<void> {
    const outcome = await this.transport.post(this.endpoints[kind], wrap(kind, items));
    if (outcome.ok) {
      this.counters.sent += items.length;
      return;
    }
    if (outcome.tooLarge && items.length > 1) {
      const mid = items.length >> 1;
      await this.sendItems(kind, items.slice(0, mid));
      await this.sendItems(kind, items.slice(mid));
      return;
    }
    this.fail(items.length, outcome.message);
  }

  private fail(count: number, message: string): void {
    this.counters.failed += count;
    this.log.warn('send-failed', `could not send ${count} call record(s): ${message}`);
  }

  private lowestUnsettled(): number {
    let lowest = this.queue.peek()?.seq ?? Infinity;
    for (const b of this.inFlight) if (b.minSeq < lowest) lowest = b.minSeq;
    return lowest;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const lowest = this.lowestUnsettled();
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo < lowest) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}

function wrap(kind: ItemKind, items: QueueItem[]): string {
  if (kind === 'complete') {
    let body = '{"batch":[';
    for (let i = 0; i < items.length; i++) body += (i ? ',' : '') + items[i]!.json;
    return body + ']}';
  }
  return kind === 'start' ? `{"start":${items[0]!.json}}` : `{"end":${items[0]!.json}}`;
}
