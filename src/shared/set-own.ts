/**
 * `o[key] = value` as an own, enumerable data property, `__proto__` included: an assignment to that key
 * would set the prototype instead (a key from JSON or from a response is data, never the prototype).
 */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    o[key] = value;
  }
}
