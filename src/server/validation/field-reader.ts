import type { JsonObject } from '../../shared/call-types.js';
import { ValidationError } from '../../shared/errors.js';
import { parseIsoMicros } from './iso-micros.js';

/**
 * Reads typed fields out of an untrusted JSON object. Every failure is a `ValidationError` whose
 * `path` names the field (`batch[3].started_at`). `null` counts as absent for optional fields,
 * because Python clients send `null` for unset optionals.
 */
export class FieldReader {
  readonly value: JsonObject;
  readonly path: string;

  private constructor(value: JsonObject, path: string) {
    this.value = value;
    this.path = path;
  }

  /** Wraps `value`, which must be a JSON object; `path` is its own path ('' for the body). */
  static of(value: unknown, path: string): FieldReader {
    if (!isJsonObject(value))
      throw new ValidationError(path || 'body', `expected an object, got ${kindOf(value)}`);
    return new FieldReader(value, path);
  }

  /** The path of a field of this object. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** True when the field is present and not null. */
  has(key: string): boolean {
    const v = this.value[key];
    return v !== undefined && v !== null;
  }

  /** Raw access, for fields of any type (`output`, `val`). */
  any(key: string): unknown {
    return this.value[key];
  }

  fail(key: string, message: string): never {
    throw new ValidationError(this.at(key), message);
  }

  /** A required non-empty string. */
  string(key: string): string {
    const v = this.value[key];
    if (v === undefined || v === null) this.fail(key, 'is required');
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${kindOf(v)}`);
    if (v.length === 0) this.fail(key, 'must not be empty');
    return v;
  }

  /** An optional string; absent or null gives null. */
  nullableString(key: string): string | null {
    const v = this.value[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(key, `expected a string or null, got ${kindOf(v)}`);
    return v;
  }

  /** An optional string; absent or null gives undefined. */
  optionalString(key: string): string | undefined {
    return this.nullableString(key) ?? undefined;
  }

  /** An optional integer within bounds; absent or null gives undefined. */
  optionalInteger(
    key: string,
    min = Number.MIN_SAFE_INTEGER,
    max = Number.MAX_SAFE_INTEGER,
  ): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v))
      this.fail(key, `expected an integer, got ${kindOf(v)}`);
    if (v < min || v > max) this.fail(key, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  /** An optional boolean; absent or null gives undefined. */
  optionalBoolean(key: string): boolean | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(key, `expected a boolean, got ${kindOf(v)}`);
    return v;
  }

  /** An object; absent or null gives `{}` (attributes, inputs, summary). */
  objectOrEmpty(key: string): JsonObject {
    const v = this.value[key];
    if (v === undefined || v === null) return {};
    if (!isJsonObject(v)) this.fail(key, `expected an object, got ${kindOf(v)}`);
    return v;
  }

  /** A required object. */
  object(key: string): JsonObject {
    if (!this.has(key)) this.fail(key, 'is required');
    return this.objectOrEmpty(key);
  }

  /** A reader over a required nested object. */
  child(key: string): FieldReader {
    return new FieldReader(this.object(key), this.at(key));
  }

  /** A reader over an optional nested object, or undefined when absent or null. */
  optionalChild(key: string): FieldReader | undefined {
    return this.has(key) ? this.child(key) : undefined;
  }

  /** A required array. */
  array(key: string): unknown[] {
    const v = this.value[key];
    if (v === undefined || v === null) this.fail(key, 'is required');
    if (!Array.isArray(v)) this.fail(key, `expected an array, got ${kindOf(v)}`);
    return v;
  }

  /** An optional array of strings; absent or null gives undefined. */
  optionalStringArray(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const items = this.array(key);
    items.forEach((item, i) => {
      if (typeof item !== 'string') {
        throw new ValidationError(`${this.at(key)}[${i}]`, `expected a string, got ${kindOf(item)}`);
      }
    });
    return items as string[];
  }

  /**
   * A required ISO-8601 time (any precision, `Z` or offset), returned with its microseconds. An
   * impossible date or clock (`2026-02-30`, `24:00`) is refused rather than normalised, and so is a
   * time whose microseconds are not a safe integer (before 1684-07-28 or after 2255-06-05), which the
   * stores cannot keep exactly.
   */
  time(key: string): { iso: string; us: number } {
    const iso = this.string(key);
    const us = parseIsoMicros(iso);
    if (us === undefined)
      this.fail(
        key,
        `expected an ISO-8601 time such as 2026-01-31T12:00:00.000Z (a real date and a clock from 00:00:00 to 23:59:59), got ${JSON.stringify(iso)}`,
      );
    if (!Number.isSafeInteger(us))
      this.fail(key, `must be between 1684-07-28 and 2255-06-05 (UTC), got ${JSON.stringify(iso)}`);
    return { iso, us };
  }

  /** An optional ISO-8601 time; absent or null gives undefined. */
  optionalTime(key: string): { iso: string; us: number } | undefined {
    return this.has(key) ? this.time(key) : undefined;
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a string`, `null`, `an array`, ... for error messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'string':
      return `a string`;
    default:
      return typeof value;
  }
}
