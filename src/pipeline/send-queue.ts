import { ItemBatch } from './item-batch.js';
import { SLAB_BYTES, SlabWriter, type RecordBytes } from './record-bytes.js';
import { SlabPool } from './slab-pool.js';
import { SlabTable } from './slab-table.js';

/** What a queued item is sent as. */
export type ItemKind = 'complete' | 'start' | 'end';

const KINDS: readonly ItemKind[] = ['complete', 'start', 'end'];
const KIND_CODE: Record<ItemKind, number> = { complete: 0, start: 1, end: 2 };

/** A queued record (a complete call, a `StartedCall`, or an `EndedCall`) as UTF-8 bytes. */
export interface QueueItem extends RecordBytes {
  kind: ItemKind;
  /** Monotonic sequence number, used by flush() to know what was queued before it. */
  seq: number;
  /** Date.now() when queued. */
  queuedAt: number;
}

/** Ring capacity it starts with and never shrinks below. */
const MIN_CAPACITY = 1024;
/**
 * Records are written into the slabs in runs of up to this many (and about this many characters):
 * one string for the run, not one per record (see SlabWriter.writeRun).
 */
const RUN_RECORDS = 16;
const RUN_CHARS = 8 * 1024;
/** Slabs kept for reuse are let go of after this long without one being taken (see SlabPool). */
const SLAB_DECAY_MS = 10_000;

/**
 * The bounded FIFO of serialized records waiting to be sent, as UTF-8 bytes in slabs (record-bytes.ts).
 * Bounded by item count and by bytes; `push` returns false when the item does not fit and the caller
 * spills or counts it.
 *
 * Items are kept as the columns of a ring (typed arrays; an item's slab by its number in a
 * `SlabTable`), not as an object each: a burst queues every record, and an object per record
 * survived the young generation's collections, which made V8 grow that generation to its maximum
 * (2 x 16 MiB of RSS). An item is an object (`QueueItem`) only when it is looked at or leaves.
 *
 * An item's slab goes back to the slab pool once every item in it is settled (`settle`) without being
 * handed out as an object: `peek` and `shift` hand out objects, `headSeq` and `headQueuedAt` do not.
 *
 * The last few records pushed may wait, as strings, to be written together (`unwritten`): a push
 * takes that path only when the record fits the byte bound even at its worst-case size, so the bound
 * holds, and every read of the queue (`peek`, `shift`, `bytes`) writes them first.
 */
export class SendQueue {
  private capacity = MIN_CAPACITY;
  private kinds = new Uint8Array(MIN_CAPACITY);
  private seqs = new Float64Array(MIN_CAPACITY);
  private queuedAts = new Float64Array(MIN_CAPACITY);
  private ats = new Uint32Array(MIN_CAPACITY);
  private lens = new Uint32Array(MIN_CAPACITY);
  private slabIds = new Uint32Array(MIN_CAPACITY);
  private readonly slabTable = new SlabTable();
  /** Ring index of the oldest item. */
  private head = 0;
  private count = 0;
  private bytesHeld = 0;
  private nextSeq = 1;
  private readonly pool: SlabPool;
  private readonly slabs: SlabWriter;
  /** Where the slab writer says it put the record being pushed (one object, reused). */
  private readonly placed: RecordBytes = { slab: Buffer.alloc(0), at: 0, len: 0 };
  /** Records pushed but not written yet: the last `unwritten.length` items of the ring. */
  private readonly unwritten: string[] = [];
  private unwrittenChars = 0;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
  ) {
    this.pool = new SlabPool(SLAB_BYTES, Math.ceil(maxBytes / SLAB_BYTES), SLAB_DECAY_MS);
    // A slab the writer is done with goes back once no unsettled item is in it (else `settle` gives it).
    this.slabs = new SlabWriter(this.pool, (slab) => {
      if (!this.slabTable.holds(slab)) this.pool.give(slab);
    });
  }

  get length(): number {
    return this.count;
  }

  /** UTF-8 bytes of the queued records. */
  get bytes(): number {
    this.writeUnwritten();
    return this.bytesHeld;
  }

  /** `bytes`, but counting a record not written yet by its length (exact for ASCII); writes nothing. */
  get bytesAtLeast(): number {
    return this.bytesHeld + this.unwrittenChars;
  }

  /** Slabs that queued items are in (see SlabTable). */
  get slabsHeld(): number {
    this.writeUnwritten();
    return this.slabTable.size;
  }

  /** Slabs kept for reuse (see SlabPool). */
  get slabsPooled(): number {
    return this.pool.size;
  }

  /** Sequence number of the oldest item, or Infinity when empty. */
  get headSeq(): number {
    return this.count === 0 ? Infinity : this.seqs[this.head]!;
  }

  /** When the oldest item was queued (its `queuedAt`), or undefined when empty. */
  get headQueuedAt(): number | undefined {
    return this.count === 0 ? undefined : this.queuedAts[this.head]!;
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
    this.writeUnwritten();
    return this.count === 0 ? undefined : this.itemAt(this.head);
  }

  /** Queues a record; `nowMs` is the caller's clock reading (Date.now() scale), saving a second one. */
  push(kind: ItemKind, json: string, nowMs: number = Date.now()): boolean {
    const chars = this.unwrittenChars + json.length;
    // A string's UTF-8 size is at least its length: most records that do not fit are refused unwritten.
    if (this.count >= this.maxItems || this.bytesHeld + chars > this.maxBytes) return false;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: below this, the record fits whatever its bytes.
    if (json.length < RUN_CHARS && this.bytesHeld + 3 * chars <= this.maxBytes) {
      this.unwritten.push(json);
      this.unwrittenChars = chars;
      this.add(kind, nowMs);
      if (this.unwritten.length >= RUN_RECORDS || chars >= RUN_CHARS) this.writeUnwritten();
      return true;
    }
    this.writeUnwritten();
    const placed = this.placed;
    this.slabs.write(json, placed);
    if (this.bytesHeld + placed.len > this.maxBytes) {
      this.slabs.undo(placed);
      return false;
    }
    this.place(this.add(kind, nowMs), placed);
    return true;
  }

  shift(): QueueItem | undefined {
    this.writeUnwritten();
    if (this.count === 0) return undefined;
    const item = this.itemAt(this.head);
    this.slabTable.unref(this.slabIds[this.head]!, 1); // it holds its slab itself (escaped)
    this.dropHead(1, item.len);
    return item;
  }

  /**
   * Takes a batch off the head, as columns (item-batch.ts): the head item, then, if it is a complete
   * record, the complete records after it up to `maxItems` items and `maxBytes` bytes. Undefined when
   * empty.
   */
  takeBatch(maxItems: number, maxBytes: number): ItemBatch | undefined {
    this.writeUnwritten();
    if (this.count === 0) return undefined;
    const { head, capacity } = this;
    const kind = KINDS[this.kinds[head]!]!;
    let n = 1;
    let bytes = this.lens[head]!;
    if (kind === 'complete') {
      for (; n < this.count && n < maxItems; n++) {
        const i = (head + n) % capacity;
        if (this.kinds[i] !== KIND_CODE.complete || bytes + this.lens[i]! > maxBytes) break;
        bytes += this.lens[i]!;
      }
    }
    const seqs = new Float64Array(n);
    const ats = new Uint32Array(n);
    const lens = new Uint32Array(n);
    const slabs = new Array<Buffer>(n);
    // Items come slab after slab: one table lookup per run of items in the same slab. The items stay
    // counted in the table until the batch is settled.
    const runs: number[] = [];
    let runId = this.slabIds[head]!;
    let runSlab = this.slabTable.get(runId);
    let runStart = 0;
    for (let k = 0; k < n; k++) {
      const i = (head + k) % capacity;
      seqs[k] = this.seqs[i]!;
      ats[k] = this.ats[i]!;
      lens[k] = this.lens[i]!;
      const id = this.slabIds[i]!;
      if (id !== runId) {
        runs.push(runId, k - runStart);
        runId = id;
        runSlab = this.slabTable.get(id);
        runStart = k;
      }
      slabs[k] = runSlab;
    }
    runs.push(runId, n - runStart);
    this.dropHead(n, bytes);
    return new ItemBatch(kind, seqs, slabs, ats, lens, Uint32Array.from(runs));
  }

  /**
   * A batch from `takeBatch` is settled: nothing will send it again. Its slabs whose items are all
   * settled go back to the pool, unless the batch handed its items out as objects.
   */
  settle(batch: ItemBatch): void {
    const runs = batch.slabRuns;
    for (let r = 0; r < runs.length; r += 2) {
      if (batch.escaped) this.pool.escape(this.slabTable.get(runs[r]!));
      const free = this.slabTable.unref(runs[r]!, runs[r + 1]!);
      if (free !== undefined && free !== this.slabs.current) this.pool.give(free);
    }
  }

  /**
   * Removes the `n` oldest items (`bytes` in all; their slabs let go of by the caller). The
   * ring shrinks back to its first capacity once emptied, not step by step as it drains: halving it
   * while a burst's flush sent it down made new columns (~1.5 MB after 50 000 records) while the old
   * ones waited for the next GC, on top of the flush's peak.
   */
  private dropHead(n: number, bytes: number): void {
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    this.bytesHeld -= bytes;
    if (this.count === 0 && this.capacity > MIN_CAPACITY) this.resize(MIN_CAPACITY);
  }

  /** Appends an item with no bytes yet; returns its ring index. */
  private add(kind: ItemKind, nowMs: number): number {
    if (this.count === this.capacity) this.resize(this.capacity * 2);
    const i = (this.head + this.count) % this.capacity;
    this.kinds[i] = KIND_CODE[kind];
    this.seqs[i] = this.nextSeq++;
    this.queuedAts[i] = nowMs;
    this.count++;
    return i;
  }

  /** Gives item `i` its bytes. */
  private place(i: number, r: RecordBytes): void {
    this.slabIds[i] = this.slabTable.ref(r.slab);
    this.ats[i] = r.at;
    this.lens[i] = r.len;
    this.bytesHeld += r.len;
  }

  /** Writes the records waiting to be written (the ring's last items) into the slabs. */
  private writeUnwritten(): void {
    const n = this.unwritten.length;
    if (n === 0) return;
    let i = (this.head + this.count - n) % this.capacity;
    this.slabs.writeRun(this.unwritten, (r) => {
      this.place(i, r);
      i = (i + 1) % this.capacity;
    });
    this.unwritten.length = 0;
    this.unwrittenChars = 0;
  }

  /** Item `i` as an object: its slab may be read from now on, so it escapes (see SlabPool). */
  private itemAt(i: number): QueueItem {
    const slab = this.slabTable.get(this.slabIds[i]!);
    this.pool.escape(slab);
    return {
      kind: KINDS[this.kinds[i]!]!,
      seq: this.seqs[i]!,
      queuedAt: this.queuedAts[i]!,
      slab,
      at: this.ats[i]!,
      len: this.lens[i]!,
    };
  }

  /** Moves the items into columns of `capacity` (at least `count`), the oldest at index 0. */
  private resize(capacity: number): void {
    const { head, count } = this;
    const move = <T extends Uint8Array | Float64Array | Uint32Array>(old: T, next: T): T => {
      const first = old.subarray(head, Math.min(head + count, this.capacity));
      next.set(first);
      next.set(old.subarray(0, count - first.length), first.length);
      return next;
    };
    this.kinds = move(this.kinds, new Uint8Array(capacity));
    this.seqs = move(this.seqs, new Float64Array(capacity));
    this.queuedAts = move(this.queuedAts, new Float64Array(capacity));
    this.ats = move(this.ats, new Uint32Array(capacity));
    this.lens = move(this.lens, new Uint32Array(capacity));
    this.slabIds = move(this.slabIds, new Uint32Array(capacity));
    this.capacity = capacity;
    this.head = 0;
  }
}
