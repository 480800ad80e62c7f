import { ValidationError } from '../../shared/errors.js';
import { DEFAULTS } from '../defaults.js';
import { kindOf } from '../validation/field-reader.js';

/**
 * Typed reads of OTLP message fields, for protobufjs-decoded messages and OTLP/JSON objects alike
 * (both lowerCamelCase). Every failure is a ValidationError at the field's path in the request.
 */

/** An OTLP attribute value as JSON: string, number, boolean, null, array or object (kvlist). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export type Obj = Record<string, unknown>;

/**
 * Most levels of nested array/kvlist attribute values. A JSON body is not walked before it is read
 * (protobuf is: otlp-proto.ts), so this bound keeps a deep value from overflowing the stack. Each level
 * is two protobuf messages (AnyValue, ArrayValue), so protobuf's `DEFAULTS.otlpMaxDepth` gives the same.
 */
const MAX_VALUE_DEPTH = Math.floor(DEFAULTS.otlpMaxDepth / 2);

/**
 * A field as sent: decoded protobufjs messages keep unset fields' defaults on their prototype (a oneof's
 * unset `boolValue` reads `false`), so only own properties count, as in a parsed JSON body.
 */
export function own(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function obj(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(path, `expected an object, got ${kindOf(value)}`);
  }
  return value as Obj;
}

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** A repeated field: absent or null is empty. */
export function list(o: Obj, key: string, path: string): unknown[] {
  const v = own(o, key);
  if (v == null) return [];
  if (!Array.isArray(v)) throw new ValidationError(at(path, key), `expected an array, got ${kindOf(v)}`);
  return v;
}

export function str(o: Obj, key: string, path: string): string {
  const v = own(o, key);
  if (v == null) return '';
  if (typeof v !== 'string') throw new ValidationError(at(path, key), `expected a string, got ${kindOf(v)}`);
  return v;
}

/**
 * An enum: OTLP/JSON sends integers; the names (`SPAN_KIND_CLIENT`), which protobuf's own JSON mapping
 * writes, are taken too.
 */
export function enumValue(o: Obj, key: string, path: string, names: string[]): number {
  const v = own(o, key);
  if (v == null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const named = typeof v === 'string' ? names.indexOf(v) : -1;
  if (named >= 0) return named;
  throw new ValidationError(
    at(path, key),
    `expected an integer or one of ${names.join(', ')}, got ${kindOf(v)}`,
  );
}

const HEX = /^[0-9a-fA-F]*$/;

/** A trace or span id of `bytes` bytes as lowercase hex; protobuf gives bytes, OTLP/JSON hex. */
export function id(o: Obj, key: string, path: string, bytes: number, required: boolean): string {
  const v = own(o, key);
  let hex: string;
  if (v == null) hex = '';
  else if (v instanceof Uint8Array) hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  else if (typeof v === 'string' && HEX.test(v)) hex = v.toLowerCase();
  else throw new ValidationError(at(path, key), `expected ${bytes} bytes as a hex string, got ${kindOf(v)}`);
  if (hex === '' && !required) return '';
  if (hex.length !== bytes * 2) {
    throw new ValidationError(
      at(path, key),
      hex === '' ? 'is required' : `expected ${bytes} bytes (${bytes * 2} hex digits), got ${hex.length / 2}`,
    );
  }
  if (/^0+$/.test(hex)) throw new ValidationError(at(path, key), 'must not be all zeros (an invalid id)');
  return hex;
}

/** A fixed64 time: protobufjs gives a Long (or a number), OTLP/JSON a decimal string or a number. */
export function nanos(o: Obj, key: string, path: string, required = false): bigint {
  const n = nanosOrZero(own(o, key), at(path, key));
  if (required && n === 0n)
    throw new ValidationError(at(path, key), 'is required (nanoseconds since the epoch)');
  return n;
}

function nanosOrZero(v: unknown, path: string): bigint {
  if (v == null) return 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'object' && isLong(v)) return BigInt(v.toString());
  throw new ValidationError(
    path,
    `expected nanoseconds since the epoch as an unsigned integer or a decimal string, got ${kindOf(v)}`,
  );
}

function isLong(v: object): v is { low: number; high: number; toString(): string } {
  return (
    typeof (v as { low?: unknown }).low === 'number' && typeof (v as { high?: unknown }).high === 'number'
  );
}

/** `attributes` (repeated KeyValue) of `o` as a JSON object; a repeated key keeps its last value. */
export function attributes(o: Obj, path: string, field = 'attributes', depth = 0): Attributes {
  const out: Attributes = Object.create(null) as Attributes;
  list(o, field, path).forEach((kv, i) => {
    const kvPath = `${at(path, field)}[${i}]`;
    const entry = obj(kv, kvPath);
    const key = str(entry, 'key', kvPath);
    out[key] = anyValue(own(entry, 'value'), `${kvPath}.value`, depth + 1);
  });
  return { ...out };
}

/** An AnyValue as JSON: 64-bit ints beyond 2^53 become decimal strings, bytes base64. */
function anyValue(value: unknown, path: string, depth: number): AttrValue {
  if (value == null) return null;
  if (depth > MAX_VALUE_DEPTH) {
    throw new ValidationError(path, `attribute values are nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  const v = obj(value, path);
  const s = own(v, 'stringValue');
  if (s != null) return str(v, 'stringValue', path);
  const b = own(v, 'boolValue');
  if (b != null) {
    if (typeof b !== 'boolean')
      throw new ValidationError(`${path}.boolValue`, `expected a boolean, got ${kindOf(b)}`);
    return b;
  }
  const i = own(v, 'intValue');
  if (i != null) return int64(i, `${path}.intValue`);
  const d = own(v, 'doubleValue');
  if (d != null) return double(d, `${path}.doubleValue`);
  const array = own(v, 'arrayValue');
  if (array != null) {
    const arrayPath = `${path}.arrayValue`;
    return list(obj(array, arrayPath), 'values', arrayPath).map((x, k) =>
      anyValue(x, `${arrayPath}.values[${k}]`, depth + 1),
    );
  }
  const kvlist = own(v, 'kvlistValue');
  if (kvlist != null) {
    const kvPath = `${path}.kvlistValue`;
    return attributes(obj(kvlist, kvPath), kvPath, 'values', depth);
  }
  const bytes = own(v, 'bytesValue');
  if (bytes instanceof Uint8Array)
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (bytes != null) return str(v, 'bytesValue', path);
  return null;
}

function int64(v: unknown, path: string): number | string {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  let text: string;
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) text = v;
  else if (typeof v === 'object' && v !== null && isLong(v)) text = v.toString();
  else throw new ValidationError(path, `expected an integer or a decimal string, got ${kindOf(v)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** A double; OTLP/JSON writes NaN and the infinities as strings, which JSON cannot store: strings here. */
function double(v: unknown, path: string): number | string {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new ValidationError(path, `expected a number, got ${kindOf(v)}`);
}
