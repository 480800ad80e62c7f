/**
 * Slabs (record-bytes.ts) whose records have all been sent, kept to be written again. A new slab is
 * off-heap memory that V8 counts as external: every 64 MiB of it started a full GC ("external memory
 * pressure"), however little of the heap was garbage, and each slab's pages were faulted in and, once
 * the GC freed it, unmapped again. In a 150 000-call nested burst that was one mark-compact per burst
 * plus the page faults: ~10 % of the SDK's CPU per call (bench/RESULTS.md, #14 tenth pass). A slab
 * that comes back is written again instead: steady traffic then runs on a few slabs, and bursts that
 * follow one another reuse the first one's.
 *
 * A slab comes back only when no byte of it can be read again: the send queue gives it back once every
 * record written into it was sent from a batch's columns (never as an object) and the writer has moved
 * on. A record that was ever handed out as an object (a spill, a refusal, a dead letter, exit) may be
 * read at any later time, so its slab `escape`s and is left to the GC, as every slab was before.
 *
 * Kept slabs are bounded (`maxSlabs`, the queue's byte bound in slabs: never more than the queue may
 * hold) and let go of once none was taken for `decayMs` (as an allocator returns dirty pages after a
 * while): a process that had one burst does not keep its memory.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];
  /** Slabs this pool made: only those come back (a record's own buffer is left to the GC). */
  private readonly made = new WeakSet<Buffer>();
  private readonly escaped = new WeakSet<Buffer>();
  private lastTakeMs = 0;
  private decayTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly slabBytes: number,
    private readonly maxSlabs: number,
    private readonly decayMs: number,
  ) {}

  /** Slabs kept for reuse. */
  get size(): number {
    return this.free.length;
  }

  /** A slab to write records into: a kept one, or a new one. */
  take(): Buffer {
    this.lastTakeMs = Date.now();
    const kept = this.free.pop();
    if (kept !== undefined) return kept;
    const slab = Buffer.allocUnsafeSlow(this.slabBytes);
    this.made.add(slab);
    return slab;
  }

  /**
   * Nothing will read `slab` again: it may be written again (unless it escaped, is not one of this
   * pool's, or enough are kept).
   */
  give(slab: Buffer): void {
    if (!this.made.has(slab) || this.escaped.has(slab) || this.free.length >= this.maxSlabs) return;
    this.free.push(slab);
    this.decayTimer ??= this.armDecay();
  }

  /** A record in `slab` was handed out as an object: the slab is never written again. */
  escape(slab: Buffer): void {
    this.escaped.add(slab);
  }

  /** Lets go of the kept slabs once none was taken for `decayMs`; never keeps the process alive. */
  private armDecay(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.decayTimer = undefined;
      if (Date.now() - this.lastTakeMs >= this.decayMs) this.free.length = 0;
      else if (this.free.length > 0) this.decayTimer = this.armDecay();
    }, this.decayMs);
    timer.unref();
    return timer;
  }
}
