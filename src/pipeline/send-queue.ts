import { flatten } from '../shared/v8-fast-paths.js';

/** What a queued item is sent as. */
export type ItemKind = 'complete' | 'start' | 'end';

export interface QueueItem {
  kind: ItemKind;
  /** The record's JSON (a complete call, a `StartedCall`, or an `EndedCall`). */
  json: string;
  /** Monotonic sequence number, used by flush() to know what was queued before it. */
  seq: number;
  /** Date.now() when queued. */
  queuedAt: number;
}

/**
 * The bounded FIFO of serialized records waiting to be sent. Bounded by item count and by bytes
 * (string length); `push` returns false when the item does not fit and the caller counts the drop.
 */
export class SendQueue {
  private items: (QueueItem | undefined)[] = [];
  private head = 0;
  private bytesHeld = 0;
  private nextSeq = 1;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** Sequence number of the last item accepted (0 if none yet). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Allocates a sequence number for an item that bypasses the queue (it goes to the spool). */
  takeSeq(): number {
    return this.nextSeq++;
  }

  peek(): QueueItem | undefined {
    return this.items[this.head];
  }

  /** Queues a record; `nowMs` is the caller's clock reading (Date.now() scale), saving a second one. */
  push(kind: ItemKind, json: string, nowMs: number = Date.now()): boolean {
    if (this.length >= this.maxItems || this.bytesHeld + json.length > this.maxBytes) return false;
    // Records are assembled by concatenation, which V8 keeps as a tree of pieces costing 3-4x their
    // length; flattening them here makes `maxQueueBytes` a true bound on the queue's memory.
    flatten(json);
    this.items.push({ kind, json, seq: this.nextSeq++, queuedAt: nowMs });
    this.bytesHeld += json.length;
    return true;
  }

  shift(): QueueItem | undefined {
    const item = this.items[this.head];
    if (!item) return undefined;
    this.items[this.head] = undefined;
    this.head++;
    this.bytesHeld -= item.json.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
