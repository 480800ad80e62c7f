import { types } from 'node:util';

/**
 * Leaf conversions for the value serializer (`serialize.ts`): values that become a single JSON string,
 * number or small fixed-shape object, and the marker strings. Nothing here recurses into user values.
 */

/** Binary values (Buffer, typed arrays, ArrayBuffer, DataView) up to this many bytes are inlined as base64. */
export const MAX_INLINE_BINARY_BYTES = 4096;

/** Longest error message quoted inside a marker such as `[Getter threw: ...]`. */
const MAX_MARKER_MESSAGE = 500;

/** `s` cut to `max` UTF-16 units (never inside a surrogate pair) plus a visible `…[truncated N chars]`. */
export function truncateString(s: string, max: number): string {
  let cut = max;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…[truncated ${s.length - cut} chars]`;
}

/** Finite numbers as is (-0 becomes 0); NaN and the infinities as `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export function numberToJson(n: number): number | string {
  if (n - n === 0) return n === 0 ? 0 : n;
  return String(n);
}

/** `[Function name]`, or `[Function (anonymous)]`; never throws, even for a Proxy or a throwing `name`. */
export function functionMarker(fn: unknown): string {
  let name: unknown;
  try {
    name = (fn as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  if (typeof name !== 'string' || name === '') return '[Function (anonymous)]';
  return `[Function ${name.length > 200 ? truncateString(name, 200) : name}]`;
}

/** The message of something thrown, for a marker. Never throws and never runs user code it can avoid. */
export function describeThrown(err: unknown): string {
  let text: string;
  try {
    if (typeof err === 'object' && err !== null) {
      const message = (err as { message?: unknown }).message;
      text = typeof message === 'string' ? message : 'a non-error object was thrown';
    } else {
      text = typeof err === 'function' ? 'a function was thrown' : String(err);
    }
  } catch {
    text = 'an unreadable value was thrown';
  }
  return text.length > MAX_MARKER_MESSAGE ? truncateString(text, MAX_MARKER_MESSAGE) : text;
}

/** `[Unserializable: reason]`. */
export function unserializableMarker(err: unknown): string {
  return `[Unserializable: ${describeThrown(err)}]`;
}

function getter(proto: object, name: PropertyKey): (this: unknown) => unknown {
  const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
  if (!get) throw new Error(`weft: the runtime has no ${String(name)} getter`);
  return get;
}

const typedArrayProto: object = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getter(typedArrayProto, Symbol.toStringTag);
const typedArrayByteLength = getter(typedArrayProto, 'byteLength');
const typedArrayByteOffset = getter(typedArrayProto, 'byteOffset');
const typedArrayBuffer = getter(typedArrayProto, 'buffer');
const dataViewByteLength = getter(DataView.prototype, 'byteLength');
const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const sharedArrayBufferByteLength = getter(SharedArrayBuffer.prototype, 'byteLength');

/**
 * `{ __type, byteLength, base64 }` for a Buffer, typed array, DataView, ArrayBuffer or SharedArrayBuffer;
 * past `MAX_INLINE_BINARY_BYTES` (or `maxStringLength` worth of base64) the bytes are left out and
 * `truncated: "…[N bytes not captured]"` replaces `base64`. Returns undefined if `value` is none of these.
 * Uses the built-in getters, so overridden `byteLength`/`buffer` properties are not consulted.
 */
export function binaryToJson(value: object, maxStringLength: number): Record<string, unknown> | undefined {
  let type: string;
  let buffer: ArrayBufferLike;
  let offset: number;
  let byteLength: number;
  if (types.isArrayBufferView(value)) {
    if (types.isDataView(value)) {
      type = 'DataView';
      buffer = dataViewBuffer.call(value) as ArrayBufferLike;
      offset = dataViewByteOffset.call(value) as number;
      byteLength = dataViewByteLength.call(value) as number;
    } else {
      type = Buffer.isBuffer(value) ? 'Buffer' : String(typedArrayTag.call(value));
      buffer = typedArrayBuffer.call(value) as ArrayBufferLike;
      offset = typedArrayByteOffset.call(value) as number;
      byteLength = typedArrayByteLength.call(value) as number;
    }
  } else if (types.isArrayBuffer(value)) {
    type = 'ArrayBuffer';
    buffer = value;
    offset = 0;
    byteLength = arrayBufferByteLength.call(value) as number;
  } else if (types.isSharedArrayBuffer(value)) {
    type = 'SharedArrayBuffer';
    buffer = value;
    offset = 0;
    byteLength = sharedArrayBufferByteLength.call(value) as number;
  } else {
    return undefined;
  }
  if (byteLength === 0) return { __type: type, byteLength, base64: '' };
  if (byteLength > MAX_INLINE_BINARY_BYTES || Math.ceil(byteLength / 3) * 4 > maxStringLength) {
    return { __type: type, byteLength, truncated: `…[${byteLength} bytes not captured]` };
  }
  return { __type: type, byteLength, base64: Buffer.from(buffer, offset, byteLength).toString('base64') };
}

/**
 * The primitive inside a boxed primitive (`new String('x')`, `Object(1n)`, ...), or `value` itself
 * if it is not one. Uses the built-in `valueOf`s, so an overridden `valueOf` is not called.
 */
export function unbox(value: object): unknown {
  if (!types.isBoxedPrimitive(value)) return value;
  if (types.isStringObject(value)) return String.prototype.valueOf.call(value);
  if (types.isNumberObject(value)) return Number.prototype.valueOf.call(value);
  if (types.isBooleanObject(value)) return Boolean.prototype.valueOf.call(value);
  if (types.isBigIntObject(value)) return BigInt.prototype.valueOf.call(value);
  if (types.isSymbolObject(value)) return Symbol.prototype.valueOf.call(value);
  return value;
}
