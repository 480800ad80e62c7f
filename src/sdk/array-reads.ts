/**
 * The elements of user arrays already read during one serialization, each array mapped to what was
 * read from it, in order (fewer than its length when a pass gave up part-way). Every pass — the fast
 * JSON check, a second check of the inputs object, the full serializer — takes elements from here
 * before reading the array, so that an index getter runs once per serialization.
 */
export class ArrayReads {
  /** Created on the first array: most values have none. */
  arrays: Map<object, unknown[]> | undefined = undefined;

  /** What was read from `array` so far; the caller appends what it reads next. */
  of(array: object): unknown[] {
    const arrays = (this.arrays ??= new Map());
    let seen = arrays.get(array);
    if (seen === undefined) arrays.set(array, (seen = []));
    return seen;
  }
}

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
