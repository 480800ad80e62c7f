import { SlabWriter, type RecordBytes } from './record-bytes.js';

/** What a queued item is sent as. */
export type ItemKind = 'complete' | 'start' | 'end';

/** Where an item's bytes are until the slab writer placed them. */
const NO_SLAB = Buffer.alloc(0);

/** A queued record (a complete call, a `StartedCall`, or an `EndedCall`) as UTF-8 bytes. */
export interface QueueItem extends RecordBytes {
  kind: ItemKind;
  /** Monotonic sequence number, used by flush() to know what was queued before it. */
  seq: number;
  /** Date.now() when queued. */
  queuedAt: number;
}

/**
 * The bounded FIFO of serialized records waiting to be sent, as UTF-8 bytes in slabs (record-bytes.ts).
 * Bounded by item count and by bytes; `push` returns false when the item does not fit and the caller
 * spills or counts it.
 */
export class SendQueue {
  private items: (QueueItem | undefined)[] = [];
  private head = 0;
  private bytesHeld = 0;
  private nextSeq = 1;
  private readonly slabs = new SlabWriter();

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
    // A string's UTF-8 size is at least its length: most records that do not fit are refused unwritten.
    if (this.length >= this.maxItems || this.bytesHeld + json.length > this.maxBytes) return false;
    const item: QueueItem = { kind, slab: NO_SLAB, at: 0, len: 0, seq: 0, queuedAt: nowMs };
    this.slabs.write(json, item);
    if (this.bytesHeld + item.len > this.maxBytes) {
      this.slabs.undo(item);
      return false;
    }
    item.seq = this.nextSeq++;
    this.items.push(item);
    this.bytesHeld += item.len;
    return true;
  }

  shift(): QueueItem | undefined {
    const item = this.items[this.head];
    if (!item) return undefined;
    this.items[this.head] = undefined;
    this.head++;
    this.bytesHeld -= item.len;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
