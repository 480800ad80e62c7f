import { createHash } from 'node:crypto';
import { ValidationError } from './errors.js';

/**
 * Content digests shared by every store, so that the same value gets the same digest whatever the
 * store: sha256, encoded base64url without padding (43 characters, safe in refs and URLs).
 *
 * - Objects and table rows: the digest of their canonical JSON (object keys sorted by UTF-16 code
 *   units, no whitespace; otherwise the rules of JSON.stringify: `toJSON` is honoured, undefined,
 *   functions and symbols are dropped from objects and become null in arrays, non-finite numbers
 *   become null). A bigint or a cycle is a ValidationError.
 * - Tables: the digest of the canonical JSON of the array of their row digests, in order.
 * - Files: the digest of their bytes.
 */

/** The canonical JSON text of `value`; throws a ValidationError (at `where`) if it is not JSON. */
export function canonicalJson(value: unknown, where = 'val'): string {
  const text = write(value, where, new Set());
  if (text === undefined) throw new ValidationError(where, 'not a JSON value');
  return text;
}

/** sha256, base64url without padding. */
export function sha256Digest(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** Digest of a JSON value (objects, table rows). */
export function digestJson(value: unknown, where = 'val'): string {
  return sha256Digest(canonicalJson(value, where));
}

/** Digest of a table: over its row digests, in order. */
export function digestTable(rowDigests: readonly string[]): string {
  return digestJson(rowDigests);
}

function write(value: unknown, where: string, stack: Set<object>): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new ValidationError(where, 'a bigint is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (stack.has(obj)) throw new ValidationError(where, 'a cyclic value is not JSON');
  stack.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((item, i) => write(item, `${where}[${i}]`, stack) ?? 'null').join(',')}]`;
  } else {
    const record = obj as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], `${where}.${key}`, stack);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    out = `{${members.join(',')}}`;
  }
  stack.delete(obj);
  return out;
}
