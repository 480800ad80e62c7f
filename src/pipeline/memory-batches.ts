import type { BatchSender, WireItem } from './batch-sender.js';
import type { ItemBatch } from './item-batch.js';
import type { SendQueue } from './send-queue.js';
import type { Spiller } from './spiller.js';

export interface MemoryBatchOptions {
  maxBatchSize: number;
  maxBatchBytes: number;
  maxConcurrentRequests: number;
  retryDeadlineMs: number;
}

/**
 * The consuming side of the send queue: cuts batches off its head (a run of complete records up to
 * the batch bounds, or one start or end) and sends them, at most `maxConcurrentRequests` at a time.
 * A batch stays in flight until the sender settled every item in it (accepted, rejected, or spooled
 * or counted failed by the spiller), so flush() never loses sight of it.
 */
export class MemoryBatches {
  private readonly inFlight = new Set<ItemBatch>();

  constructor(
    private readonly queue: SendQueue,
    private readonly sender: BatchSender,
    private readonly options: MemoryBatchOptions,
  ) {}

  get inFlightCount(): number {
    let n = 0;
    for (const b of this.inFlight) n += b.length;
    return n;
  }

  /** Nothing queued and nothing in flight. */
  isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0;
  }

  /** The lowest sequence number queued or in flight, or Infinity. */
  lowestUnsettled(): number {
    let lowest = this.queue.headSeq;
    for (const b of this.inFlight) lowest = Math.min(lowest, b.firstSeq);
    return lowest;
  }

  /** A full batch is queued (counting records not written yet by their length: it writes nothing). */
  fullBatchReady(): boolean {
    return (
      this.queue.length >= this.options.maxBatchSize || this.queue.bytesAtLeast >= this.options.maxBatchBytes
    );
  }

  /**
   * Starts sending the batches due now, as request slots allow: any batch whose head is at or below
   * the watermark (a flush or the batch timer covers it), else only full ones. Each promise resolves
   * once its batch is settled; none rejects.
   */
  sendDue(watermark: number): Promise<void>[] {
    const sends: Promise<void>[] = [];
    while (this.inFlight.size < this.options.maxConcurrentRequests) {
      const head = this.queue.headSeq;
      if (head === Infinity || (head > watermark && !this.fullBatchReady())) break;
      sends.push(this.send(this.take()));
    }
    return sends;
  }

  /** An outage began: everything queued goes to the spool, in order. */
  spillQueued(spiller: Spiller): void {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) spiller.spill(item);
  }

  /** process.exit(): every item still in memory, in flight and queued (the queue is emptied). */
  takeAll(): WireItem[] {
    const all: WireItem[] = [];
    for (const batch of this.inFlight) all.push(...batch.items());
    for (let item = this.queue.shift(); item; item = this.queue.shift()) all.push(item);
    return all;
  }

  private take(): ItemBatch {
    const batch = this.queue.takeBatch(this.options.maxBatchSize, this.options.maxBatchBytes)!;
    this.inFlight.add(batch);
    return batch;
  }

  private async send(batch: ItemBatch): Promise<void> {
    try {
      await this.sender.sendBatch(batch, this.options.retryDeadlineMs);
    } finally {
      this.inFlight.delete(batch);
      this.queue.settle(batch);
    }
  }
}
