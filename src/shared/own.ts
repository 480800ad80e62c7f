/**
 * `table[key]` when `key` is the table's own property, else undefined: a lookup by a name from a
 * request (`constructor`, `toString`, `__proto__`...) never finds what `Object.prototype` holds.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
