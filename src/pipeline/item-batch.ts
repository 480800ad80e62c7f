import type { WireItem } from './batch-sender.js';
import type { ItemKind } from './send-queue.js';
import { keepShape } from '../shared/v8-fast-paths.js';

/**
 * A batch of queued items on its way to the server, as columns cut off the send queue's ring (each
 * item's kind, sequence number, slab, offset and length), not as an object per item. A batch is in
 * flight for a round trip or more, long enough for its items to survive the young generation's
 * collections: 50 000 records sent after a burst made 50 000 objects survive and be promoted (~5 MB of
 * old space, and a mark-compact during the flush). An item becomes an object
 * only on the rare paths that look at it alone (a refusal, a spill; `items()`).
 */
export class ItemBatch {
  /** Some item was handed out as an object (`items()`): its bytes may be read after the batch settles. */
  escaped = false;

  constructor(
    /** The kind of every item: a batch is a run of complete records, or one start or end. */
    readonly kind: ItemKind,
    private readonly seqs: Float64Array,
    /** Each item's slab (the slab writer's buffer, or a record's own). */
    readonly slabs: readonly Buffer[],
    readonly ats: Uint32Array,
    readonly lens: Uint32Array,
    /**
     * The items' slabs as the send queue numbers them, in runs: slab number, items in it, and so on
     * (`SendQueue.settle` counts them off once the batch is settled).
     */
    readonly slabRuns: Uint32Array,
  ) {}

  get length(): number {
    return this.seqs.length;
  }

  /** The lowest sequence number in the batch (items are in queue order). */
  get firstSeq(): number {
    return this.seqs[0] ?? Infinity;
  }

  /** The items as objects (a refusal to split, a spill, process exit). */
  items(): WireItem[] {
    this.escaped = true;
    const out: WireItem[] = [];
    for (let i = 0; i < this.seqs.length; i++) {
      out.push({
        kind: this.kind,
        seq: this.seqs[i]!,
        slab: this.slabs[i]!,
        at: this.ats[i]!,
        len: this.lens[i]!,
      });
    }
    return out;
  }
}

// So that V8 keeps the map of a batch across full GCs (see keepShape).
keepShape(
  new ItemBatch(
    'complete',
    new Float64Array(0),
    [],
    new Uint32Array(0),
    new Uint32Array(0),
    new Uint32Array(0),
  ),
);
