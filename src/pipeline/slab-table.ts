/** A slab the send queue's items refer to, and how many of them do. */
interface SlabEntry {
  slab: Buffer;
  items: number;
}

/**
 * The slabs (record-bytes.ts) that queued items are in, by number: the send queue keeps each item's
 * slab as a number in a typed column, not as a reference in an array of its own.
 *
 * An array of references grew with the queue's ring (2 048 to 65 536 entries in a 50 000-call burst,
 * up to 512 KiB) and lived on the V8 heap: each grown array survived the young generation's
 * collections and was promoted: 961 of the 1 298 KB that survived them in that burst. That survival
 * is what made V8 double the young generation in some processes (8 MiB of RSS). A typed column lives
 * outside the heap.
 *
 * An item counts from when it is queued until it is settled: sent from a batch's columns, or handed
 * out as an object (`QueueItem`, `ItemBatch.items()`), which holds its slab itself from then on. A slab
 * leaves the table when its last item is settled (`unref` returns it: the send queue may give it
 * back to the slab pool, see slab-pool.ts).
 */
export class SlabTable {
  private readonly entries = new Map<number, SlabEntry>();
  private last: SlabEntry | undefined;
  private lastId = 0;

  /** Slabs some queued item is in. */
  get size(): number {
    return this.entries.size;
  }

  /** The number of `slab`, counting one more item in it. Records are placed slab after slab. */
  ref(slab: Buffer): number {
    const last = this.last;
    if (last !== undefined && last.slab === slab) {
      last.items++;
      return this.lastId;
    }
    const entry: SlabEntry = { slab, items: 1 };
    this.entries.set(++this.lastId, entry);
    this.last = entry;
    return this.lastId;
  }

  /** The slab numbered `id` (an item still queued is in it). */
  get(id: number): Buffer {
    return this.entries.get(id)!.slab;
  }

  /**
   * `count` items in slab `id` were settled; once none is left, the table lets go of the slab and
   * returns it.
   */
  unref(id: number, count: number): Buffer | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    entry.items -= count;
    if (entry.items > 0) return undefined;
    this.entries.delete(id);
    if (entry === this.last) this.last = undefined;
    return entry.slab;
  }

  /** Some unsettled item is in `slab` (a few slabs at a time: the table is small). */
  holds(slab: Buffer): boolean {
    if (this.last?.slab === slab) return true;
    for (const entry of this.entries.values()) if (entry.slab === slab) return true;
    return false;
  }
}
