import { keepShape } from '../shared/v8-fast-paths.js';

/**
 * The elements of user arrays already read during one serialization, each array mapped to what was
 * read from it, in order (fewer than its length when a pass gave up part-way). Every pass — the fast
 * JSON check, a second check of the inputs object, the full serializer — takes elements from here
 * before reading the array, so that an index getter runs once per serialization.
 */
export class ArrayReads {
  /**
   * The first few arrays and their reads, side by side (most values have at most a few arrays).
   * Made on the first read: most values have no array at all, and every traced call makes two of
   * these (its inputs and its output), so an unused one is a single small object.
   */
  private keys: object[] | undefined = undefined;
  private reads: unknown[][] | undefined = undefined;
  /** Every array, once there are more than `INLINE` of them. */
  private map: Map<object, unknown[]> | undefined = undefined;

  /** What was read so far, per array, for the full serializer; undefined when no array was read. */
  get arrays(): Map<object, unknown[]> | undefined {
    if (this.map) return this.map;
    const { keys, reads } = this;
    if (keys === undefined || reads === undefined || keys.length === 0) return undefined;
    return (this.map = new Map(keys.map((k, i) => [k, reads[i]!])));
  }

  /** What was read from `array` so far; the caller appends what it reads next. */
  of(array: object): unknown[] {
    const map = this.map;
    if (map !== undefined) {
      let seen = map.get(array);
      if (seen === undefined) map.set(array, (seen = []));
      return seen;
    }
    const keys = (this.keys ??= []);
    const reads = (this.reads ??= []);
    for (let i = 0; i < keys.length; i++) if (keys[i] === array) return reads[i]!;
    const seen: unknown[] = [];
    if (keys.length < INLINE) {
      keys.push(array);
      reads.push(seen);
    } else {
      this.arrays!.set(array, seen);
    }
    return seen;
  }
}

/** Arrays kept side by side before `ArrayReads` switches to a Map (a linear search up to this many). */
const INLINE = 8;

const thrown = new WeakSet<object>();

/**
 * What `ArrayReads` keeps for an element whose read threw, so that the getter is not run again.
 * Recognised by `thrownError`, which runs no user code on whatever it is given (no `instanceof`).
 */
export function thrownRead(error: unknown): object {
  const marker = { error };
  thrown.add(marker);
  return marker;
}

/** The error kept by `thrownRead`, or undefined if `item` is not such a marker. */
export function thrownError(item: unknown): { error: unknown } | undefined {
  return typeof item === 'object' && item !== null && thrown.has(item)
    ? (item as { error: unknown })
    : undefined;
}

// One that has read an array (its fields hold arrays), so that V8 keeps its map across full GCs
// (see keepShape).
keepShape(new ArrayReads()).of([]);
