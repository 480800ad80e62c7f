/**
 * The few places where weft relies on how V8 (Node's engine) works rather than on what JavaScript
 * promises, gathered here. Each trick has a comment saying why it pays, a portable fallback that gives
 * the same result wherever the trick is not available, and a test (v8-fast-paths.test.ts) that the
 * two agree. Both implementations are exported for that test; the rest of weft uses the chosen one.
 */

interface Utf8Writing {
  utf8Write(s: string, offset: number, length: number): number;
}

/** `Buffer#utf8Write` is what `buf.write(s, offset, 'utf8')` calls after parsing its arguments. */
const HAS_UTF8_WRITE = typeof (Buffer.prototype as unknown as Partial<Utf8Writing>).utf8Write === 'function';

/** Whether this is V8, whose strings the flattening and one-byte tricks are about. */
const IS_V8 = typeof process !== 'undefined' && typeof process.versions?.v8 === 'string';

/**
 * Writes `s` as UTF-8 into `buf` from `at` (as much as fits, whole characters only) and returns the
 * bytes written. The send queue copies every record into its slabs with it: `utf8Write` skips
 * `write`'s argument parsing (which accepts four signatures), a sizeable share for a 500-byte record.
 */
export function utf8Into(buf: Buffer, s: string, at: number): number {
  return HAS_UTF8_WRITE ? fastUtf8Into(buf, s, at) : portableUtf8Into(buf, s, at);
}

export function fastUtf8Into(buf: Buffer, s: string, at: number): number {
  return (buf as unknown as Utf8Writing).utf8Write(s, at, buf.length - at);
}

export function portableUtf8Into(buf: Buffer, s: string, at: number): number {
  return buf.write(s, at, 'utf8');
}

/**
 * Makes V8 store a concatenated string as one flat string, in place (a no-op for flat ones), and
 * returns it. V8 keeps `a + b` as a tree of pieces (a cons string) costing 3-4x the text's length
 * until something needs its characters; reading one character flattens it, where `Number(s)` was
 * measured not to (the tree stayed, ~5x the bytes). The send queue flattens each record so that its
 * byte bound is a bound on memory. Elsewhere the portable fallback does nothing: the text is the same.
 */
export function flatten(s: string): string {
  return IS_V8 ? fastFlatten(s) : portableFlatten(s);
}

export function fastFlatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function portableFlatten(s: string): string {
  return s;
}

/**
 * The same text in V8's one-byte form when every character is Latin-1. Parameter names are cut from
 * a function's source, which V8 keeps two bytes per character when the file holds any other character
 * (a `…` in a comment): one two-byte piece makes every record built with it two bytes per character,
 * twice the memory. A Latin-1 round trip through a Buffer gives a one-byte copy. Elsewhere the
 * portable fallback returns the string itself: the text is the same.
 */
export function oneByte(s: string): string {
  return IS_V8 ? fastOneByte(s) : portableOneByte(s);
}

// eslint-disable-next-line no-control-regex
const LATIN1 = /^[\u0000-\u00ff]*$/;

export function fastOneByte(s: string): string {
  return LATIN1.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : s;
}

export function portableOneByte(s: string): string {
  return s;
}

/** Objects kept for the life of the process by `keepShape`: one per class, so a few in all. */
const KEPT_SHAPES: object[] = [];

/**
 * Keeps `instance` alive for good and returns it: one instance of each class the hot path makes per
 * call (a running call, its batch), built at load time with fields of the kinds real ones hold.
 *
 * V8 gives the objects of a class the hidden class ("map") they reach once their fields are added,
 * and the class reaches it through transitions that hold it weakly. When a full GC finds no instance
 * alive, as between two bursts of calls, the map dies, and every optimized function that embedded
 * it is thrown away and compiled again during the next burst: 0.3-0.4 µs of CPU per call over the
 * next 50 000 calls, a tenth of a flat burst's, most of it compilation on V8's helper threads
 * (bench/RESULTS.md, #14 ninth pass). An instance that lives holds its map. Elsewhere the portable
 * fallback keeps nothing: the program does the same.
 */
export function keepShape<T extends object>(instance: T): T {
  return IS_V8 ? fastKeepShape(instance) : portableKeepShape(instance);
}

export function fastKeepShape<T extends object>(instance: T): T {
  KEPT_SHAPES.push(instance);
  return instance;
}

export function portableKeepShape<T extends object>(instance: T): T {
  return instance;
}
