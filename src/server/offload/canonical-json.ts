import { isUtf8 } from 'node:buffer';

/**
 * Byte-level scans of JSON text in a request body, without decoding it to a string.
 *
 * `canonicalEnd` finds where a value ends if its text is exactly what `JSON.stringify(JSON.parse(text))`
 * writes: no whitespace, strings escaped as `JSON.stringify` escapes them, numbers spelled as
 * `String(number)` spells them, no duplicate keys and no array-index keys in objects (V8 would move
 * those first), nested at most `maxDepth` levels, valid UTF-8. Such text can be stored as it came
 * (`RawJson`): it is what parsing and serialising would have stored. Anything else, valid or not, is
 * -1 and the caller parses the value as usual (which also gives malformed JSON its usual error).
 * `skipValue` finds where a value ends without checking it, for values `JSON.parse` checks anyway.
 *
 * Both are loops (an explicit stack), so deep nesting cannot overflow the call stack.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** End (exclusive) of the canonical value starting at `start`, or -1 (see the file comment). */
export function canonicalEnd(bytes: Uint8Array, start: number, maxDepth: number): number {
  const end = scan(bytes, start, maxDepth);
  return end >= 0 && isUtf8(bytes.subarray(start, end)) ? end : -1;
}

/**
 * End (exclusive) of the value starting at `start` if the text is valid JSON, found fast and without
 * checking it: strings are crossed with `indexOf` (native) and only brackets are counted, so malformed
 * text gives some position or -1. For skipping values that `JSON.parse` checks afterwards anyway.
 */
export function skipValue(b: Uint8Array, start: number): number {
  let depth = 0;
  for (let i = start; i < b.length;) {
    const c = b[i];
    if (c === QUOTE) {
      i = skipString(b, i);
      if (i < 0 || depth === 0) return i;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      if (--depth <= 0) return depth === 0 ? i + 1 : -1;
    } else if (depth === 0) {
      let j = i;
      while (j < b.length && !isDelimiter(b[j]!)) j++;
      return j;
    }
    i++;
  }
  return -1;
}

/** End of the string whose opening quote is at p: its first quote not escaped by a backslash. */
function skipString(b: Uint8Array, p: number): number {
  for (let from = p + 1; ;) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0) return -1;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

function isDelimiter(c: number): boolean {
  return (
    c === COMMA || c === RBRACE || c === RBRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
  );
}

/** Position of the first byte at or after `p` that is not JSON whitespace. */
export function skipSpace(bytes: Uint8Array, p: number): number {
  let c = bytes[p];
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++p];
  return p;
}

function scan(b: Uint8Array, start: number, maxDepth: number): number {
  /** Open containers, innermost last: an object's keys so far, or `false` for an array. */
  const open: (Set<string> | false)[] = [];
  let p = start;
  for (;;) {
    // A value at p.
    const c = b[p];
    if (c === LBRACE || c === LBRACKET) {
      if (open.length >= maxDepth) return -1;
      if (b[p + 1] === (c === LBRACE ? RBRACE : RBRACKET)) p += 2;
      else {
        const keys = c === LBRACE ? new Set<string>() : false;
        open.push(keys);
        p = keys === false ? p + 1 : member(b, p + 1, keys);
        if (p < 0) return -1;
        continue;
      }
    } else if (c === QUOTE) p = stringEnd(b, p);
    else if (c === 0x74) p = literal(b, p, 'true');
    else if (c === 0x66) p = literal(b, p, 'false');
    else if (c === 0x6e) p = literal(b, p, 'null');
    else p = numberEnd(b, p);
    if (p < 0) return -1;
    // After a value: a comma or the closes of finished containers.
    for (;;) {
      if (open.length === 0) return p;
      const keys = open[open.length - 1]!;
      const d = b[p];
      if (d === COMMA) {
        p = keys === false ? p + 1 : member(b, p + 1, keys);
        if (p < 0) return -1;
        break;
      }
      if (d !== (keys === false ? RBRACKET : RBRACE)) return -1;
      p++;
      open.pop();
    }
  }
}

/** Reads `"key":` at p (a new key, not an array index); returns the position of its value, or -1. */
function member(b: Uint8Array, p: number, keys: Set<string>): number {
  if (b[p] !== QUOTE) return -1;
  const end = stringEnd(b, p);
  if (end < 0) return -1;
  const key = keyText(b, p, end);
  if (keys.has(key) || isArrayIndex(key)) return -1;
  keys.add(key);
  return b[end] === COLON ? end + 1 : -1;
}

/** The string a key's text (quotes included, from `start` to `end`) stands for. */
export function keyText(b: Uint8Array, start: number, end: number): string {
  const text = Buffer.from(b.buffer, b.byteOffset + start + 1, end - start - 2).toString('utf8');
  return text.includes('\\') ? (JSON.parse(`"${text}"`) as string) : text;
}

/** Keys V8 orders before all others (array indices: 0 … 2³² − 2 without leading zeros). */
function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const first = key.charCodeAt(0);
  if (first < ZERO || first > NINE || (first === ZERO && key.length > 1)) return false;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return Number(key) < 4294967295;
}

/** End of the canonical string starting at the quote at p, or -1. */
function stringEnd(b: Uint8Array, p: number): number {
  for (let i = p + 1; i < b.length;) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    const e = b[i + 1];
    // JSON.stringify writes \" \\ \b \f \n \r \t, and \u00xx (lower-case hex) for other controls.
    if (
      e === QUOTE ||
      e === BACKSLASH ||
      e === 0x62 ||
      e === 0x66 ||
      e === 0x6e ||
      e === 0x72 ||
      e === 0x74
    ) {
      i += 2;
    } else if (e === 0x75 && escapedByStringify(hex4(b, i + 2))) i += 6;
    else return -1;
  }
  return -1;
}

/** True for the code units `JSON.stringify` writes as `\u00xx`. */
function escapedByStringify(code: number): boolean {
  return (
    code >= 0 &&
    code < 0x20 &&
    code !== 0x08 &&
    code !== 0x09 &&
    code !== 0x0a &&
    code !== 0x0c &&
    code !== 0x0d
  );
}

/** The value of 4 lower-case hex digits at p, or -1. */
function hex4(b: Uint8Array, p: number): number {
  let value = 0;
  for (let i = p; i < p + 4; i++) {
    const c = b[i] ?? 0;
    let digit: number;
    if (c >= ZERO && c <= NINE) digit = c - ZERO;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

function literal(b: Uint8Array, p: number, word: string): number {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return -1;
  return p + word.length;
}

/** End of the number at p if it is spelled as `String(number)` spells it, or -1. */
function numberEnd(b: Uint8Array, p: number): number {
  let i = p;
  if (b[i] === MINUS) i++;
  const intStart = i;
  if (b[i] === ZERO) i++;
  else {
    const first = b[i];
    if (first === undefined || first < 0x31 || first > NINE) return -1;
    i = digits(b, i);
  }
  const intEnd = i;
  let plain = true;
  if (b[i] === 0x2e) {
    plain = false;
    const after = digits(b, i + 1);
    if (after === i + 1) return -1;
    i = after;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    plain = false;
    i++;
    if (b[i] === 0x2b || b[i] === MINUS) i++;
    const after = digits(b, i);
    if (after === i) return -1;
    i = after;
  }
  // Integers of up to 15 digits are spelled canonically, but for -0 (JSON.stringify writes 0).
  const negativeZero = b[p] === MINUS && b[intStart] === ZERO && intEnd === intStart + 1;
  if (plain && intEnd - intStart <= 15 && !negativeZero) return i;
  const text = Buffer.from(b.buffer, b.byteOffset + p, i - p).toString('latin1');
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text ? i : -1;
}

function digits(b: Uint8Array, p: number): number {
  let c = b[p];
  while (c !== undefined && c >= ZERO && c <= NINE) c = b[++p];
  return p;
}
