import {
  bodySize,
  completeBodySize,
  writeBody,
  writeCompleteBody,
  type BodyItem,
  type GroupKind,
} from './batch-bodies.js';
import { BodyPool } from './body-pool.js';
import type { HttpTransport, SendOutcome } from './http-transport.js';
import type { ItemBatch } from './item-batch.js';
import type { RateLimitedLogger } from './rate-limited-logger.js';
import { recordBytesOf, recordText } from './record-bytes.js';
import type { UnreachableSink } from './spiller.js';
import type { DeadLetter } from './spool/dead-letter.js';
import { truncateRecord } from './truncate-record.js';

/** A serialized record on its way to the server: its kind, sequence number and UTF-8 bytes. */
export interface WireItem extends BodyItem {
  seq: number;
}

/** Where each kind of item is posted; `halves` takes a mixed run of starts and ends (`/call/upsert_batch`). */
export interface Endpoints {
  complete: string;
  start: string;
  end: string;
  halves: string;
}

/** Counters the sender alone mutates. */
export interface SendCounters {
  /** Items the server accepted. */
  sent: number;
  /** Items the server rejected for good (4xx), written to the dead-letter file. */
  rejected: number;
  /** Items cut down after a 413 on their own. */
  truncated: number;
}

/** A record still over the server's limit after a 413 on its own is cut to this size. */
const TRUNCATE_TO_BYTES = 1024 * 1024;

/**
 * Sends items and handles the server's refusals: a 413 halves the batch (a lone item is truncated
 * with a visible marker), another 4xx isolates the offending items by halving and writes them to the
 * dead-letter file. Items of a memory batch that the server could not take in time (network error,
 * timeout, 5xx, 429 ... past the deadline) go to the unreachable sink (the spiller: spooled, or
 * counted failed); a spooled batch that did not get through stays in the spool.
 */
export class BatchSender {
  readonly counters: SendCounters = { sent: 0, rejected: 0, truncated: 0 };
  private readonly bodies: BodyPool;

  /** `maxRequests`: requests in flight at once (memory batches and the spool's), one pooled body each. */
  constructor(
    private readonly transport: HttpTransport,
    private readonly endpoints: Endpoints,
    private readonly log: RateLimitedLogger,
    private readonly deadLetter: DeadLetter | undefined,
    private readonly unreachable: UnreachableSink,
    maxRequests: number,
  ) {
    this.bodies = new BodyPool(maxRequests);
  }

  /**
   * Sends a memory batch. Resolves once every item is accepted, rejected or handed to the unreachable
   * sink; never rejects. Its first post is written from the batch's columns; its items become objects
   * only if the server refuses it (see ItemBatch).
   */
  async sendBatch(batch: ItemBatch, deadlineMs: number): Promise<void> {
    try {
      const left =
        batch.kind === 'complete'
          ? await this.settle(
              'complete',
              batch.length,
              () => batch.items(),
              await this.postColumns(batch, deadlineMs),
              deadlineMs,
            )
          : await this.deliver(batch.kind, batch.items(), deadlineMs);
      if (left.length > 0) this.unreachable.unreachable(left);
    } catch (err) {
      this.unreachable.unreachable(batch.items(), err);
    }
  }

  /**
   * Sends a mixed run of items (as read from the spool) in order: complete records in batches, runs of
   * starts and ends (a backlog of eager calls) together through `/call/upsert_batch`. Stops at the
   * first unreachable: false, and the spool keeps the batch.
   */
  async sendMixed(items: WireItem[], deadlineMs: number): Promise<boolean> {
    let i = 0;
    while (i < items.length) {
      const complete = items[i]!.kind === 'complete';
      let j = i + 1;
      while (j < items.length && (items[j]!.kind === 'complete') === complete) j++;
      const kind: GroupKind = complete ? 'complete' : j - i > 1 ? 'halves' : items[i]!.kind;
      const left = await this.deliver(kind, items.slice(i, j), deadlineMs);
      if (left.length > 0) return false;
      i = j;
    }
    return true;
  }

  /** Posts a batch of complete records, written from its columns. */
  private postColumns(batch: ItemBatch, deadlineMs: number): Promise<SendOutcome> {
    const write = (body: Buffer): void => writeCompleteBody(batch, body);
    return this.postBody('complete', completeBodySize(batch), write, deadlineMs);
  }

  /** Posts items, splitting on refusals; resolves with those the server could not take in time. */
  private async deliver(kind: GroupKind, items: WireItem[], deadlineMs: number): Promise<WireItem[]> {
    if (items.length === 0) return [];
    const size = bodySize(kind, items);
    const outcome = await this.postBody(kind, size, (body) => writeBody(kind, items, body), deadlineMs);
    return this.settle(kind, items.length, () => items, outcome, deadlineMs);
  }

  /**
   * Settles the `count` items of a post by its outcome: counted sent, or split and posted again on a
   * refusal; resolves with those the server could not take in time. `itemsOf` gives them as objects,
   * only when the post failed.
   */
  private async settle(
    kind: GroupKind,
    count: number,
    itemsOf: () => WireItem[],
    outcome: SendOutcome,
    deadlineMs: number,
  ): Promise<WireItem[]> {
    if (outcome.ok) {
      this.counters.sent += count;
      return [];
    }
    const items = itemsOf();
    if (outcome.retryable) return items;
    if (items.length > 1) {
      const mid = items.length >> 1;
      const left = await this.deliver(kind, items.slice(0, mid), deadlineMs);
      const right = await this.deliver(kind, items.slice(mid), deadlineMs);
      return left.length + right.length === 0 ? [] : [...left, ...right];
    }
    if (kind === 'halves') return this.deliver(items[0]!.kind, items, deadlineMs); // a lone half: its own endpoint
    const item = items[0]!;
    if (outcome.tooLarge) {
      const cut = recordBytesOf(truncateRecord(recordText(item), TRUNCATE_TO_BYTES));
      if (cut.len < item.len) {
        this.counters.truncated++;
        this.log.warn(
          'truncated',
          `a call record of ${item.len} bytes was too large for the server: truncated`,
        );
        return this.deliver(kind, [{ kind: item.kind, seq: item.seq, ...cut }], deadlineMs);
      }
    }
    this.reject(item, outcome);
    return [];
  }

  /**
   * One post of a body of `size` bytes that `write` writes. A body that will be compressed is written into
   * a pooled buffer, given back as soon as the transport has compressed it (see BodyPool): with the
   * synchronous compression of ordinary batches, every batch of a flush reuses one buffer.
   */
  private async postBody(
    kind: GroupKind,
    size: number,
    write: (body: Buffer) => void,
    deadlineMs: number,
  ): Promise<SendOutcome> {
    const pooled = this.transport.compresses(size) ? this.bodies.acquire(size) : undefined;
    const body = pooled ? pooled.subarray(0, size) : Buffer.allocUnsafe(size);
    write(body);
    let held = pooled;
    const release = (): void => {
      if (held) this.bodies.release(held);
      held = undefined;
    };
    try {
      return await this.transport.post(this.endpoints[kind], body, deadlineMs, pooled && release);
    } finally {
      release();
    }
  }

  private reject(item: WireItem, outcome: Extract<SendOutcome, { ok: false }>): void {
    this.counters.rejected++;
    this.deadLetter?.write(item.kind, recordText(item), outcome.status, outcome.message);
    const where = this.deadLetter ? `; written to ${this.deadLetter.path}` : '';
    this.log.warn('rejected', `the server rejected a call record (${outcome.message})${where}`);
  }
}
