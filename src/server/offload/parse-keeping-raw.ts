import { randomUUID } from 'node:crypto';
import { END_FIELDS, START_FIELDS } from '../../shared/call-field-table.js';
import { JSON_LIMITS } from '../../shared/json-limits.js';
import { RawJson } from '../../shared/raw-json.js';
import { parseJsonObject, parseJsonObjectText } from '../read-body.js';
import { canonicalEnd, keyText, skipSpace, skipValue } from './canonical-json.js';

/**
 * Parses a call write body like `parseJsonObject`, but keeps each large call value (`inputs`,
 * `attributes`, `output` of at least `KEEP_RAW_FROM_BYTES`) as the text it came in, a `RawJson` view of
 * the body, when that text is canonical (canonical-json.ts): parsing a 30 MiB value and serialising it
 * again held three more copies of it (text, objects, JSON), for a result equal to the text itself.
 *
 * Only the places where the write routes carry calls are looked at: `start`, `end`, `batch[i]`
 * (calls/complete) and `batch[i].req.start|end` (calls/upsert_batch); every other value is skipped
 * over. The rest of the body, with each kept value replaced by a unique token, is parsed with
 * `JSON.parse` and the tokens are then replaced by the kept values; when anything does not match
 * (malformed JSON, a duplicate key), the body is parsed as a whole, as `parseJsonObject` does, so
 * answers and errors are those of the usual path.
 */

/** Values from this many bytes on are kept as text; smaller ones are cheap to parse. */
export const KEEP_RAW_FROM_BYTES = 64 * 1024;

/** Call fields whose values may be kept, and whether a kept value must be an object. */
const KEEPABLE = new Map<string, 'object' | 'any'>(
  [...START_FIELDS, ...END_FIELDS]
    .filter((f) => f.kind === 'json' && (f.wire === 'object' || f.wire === 'any'))
    .map((f) => [f.name, f.wire === 'object' ? 'object' : 'any']),
);

/** Where calls sit in a write body: a node is a call, and/or has the children named. */
interface Shape {
  call?: true;
  items?: Shape;
  fields?: Map<string, Shape>;
}
const CALL: Shape = { call: true };
const UPSERT_ITEM: Shape = {
  fields: new Map([
    [
      'req',
      {
        fields: new Map([
          ['start', CALL],
          ['end', CALL],
        ]),
      },
    ],
  ]),
};
const BODY: Shape = {
  fields: new Map<string, Shape>([
    ['batch', { items: { call: true, fields: UPSERT_ITEM.fields } }],
    ['start', CALL],
    ['end', CALL],
  ]),
};

interface Kept {
  path: (string | number)[];
  start: number;
  end: number;
}

export function parseKeepingRaw(
  bytes: Buffer,
  minBytes = KEEP_RAW_FROM_BYTES,
  maxDepth: number = JSON_LIMITS.maxDepth,
): Record<string, unknown> {
  return parseCountingKept(bytes, minBytes, maxDepth).body;
}

/** {@link parseKeepingRaw}, with how many values it kept (0: the body was parsed as a whole). */
export function parseCountingKept(
  bytes: Buffer,
  minBytes = KEEP_RAW_FROM_BYTES,
  maxDepth: number = JSON_LIMITS.maxDepth,
): { body: Record<string, unknown>; kept: number } {
  const parsed = (body: Record<string, unknown>, kept = 0) => ({ body, kept });
  const kept: Kept[] = [];
  const start = skipSpace(bytes, 0);
  if (walk(bytes, start, BODY, [], { kept, minBytes, maxDepth }) < 0 || kept.length === 0) {
    return parsed(parseJsonObject(bytes));
  }
  const token = `\u0000weft-raw:${randomUUID()}:`;
  let text = '';
  let at = 0;
  kept.forEach((k, i) => {
    text += bytes.toString('utf8', at, k.start) + JSON.stringify(token + i);
    at = k.end;
  });
  text += bytes.toString('utf8', at);
  let body: Record<string, unknown>;
  try {
    body = parseJsonObjectText(text);
  } catch {
    return parsed(parseJsonObject(bytes)); // its error names the problem in the body as sent
  }
  for (let i = 0; i < kept.length; i++) {
    const { path, start: s, end: e } = kept[i]!;
    if (!replace(body, path, token + i, new RawJson(bytes.subarray(s, e)))) {
      return parsed(parseJsonObject(bytes));
    }
  }
  return parsed(body, kept.length);
}

interface Walk {
  kept: Kept[];
  minBytes: number;
  maxDepth: number;
}

/** Reads the value at p as `shape` says; returns its end, or -1 when the body is not valid JSON. */
function walk(b: Buffer, p: number, shape: Shape, path: (string | number)[], w: Walk): number {
  const c = b[p];
  const isObject = c === 0x7b && (shape.call === true || shape.fields !== undefined);
  if (!isObject && !(c === 0x5b && shape.items)) return skipValue(b, p);
  if (shape.call) {
    // A call smaller than a kept value holds none: skipped whole (a bulk batch of small calls).
    const end = skipValue(b, p);
    if (end < 0 || end - p < w.minBytes) return end;
  }
  const close = isObject ? 0x7d : 0x5d;
  p = skipSpace(b, p + 1);
  if (b[p] === close) return p + 1;
  for (let index = 0; ; index++) {
    let key: string | number = index;
    let child = shape.items;
    if (isObject) {
      const keyEnd = b[p] === 0x22 ? skipValue(b, p) : -1;
      if (keyEnd < 0) return -1;
      key = keyText(b, p, keyEnd);
      p = skipSpace(b, keyEnd);
      if (b[p] !== 0x3a) return -1;
      p = skipSpace(b, p + 1);
      child = shape.fields?.get(key);
    }
    const keepable = shape.call && typeof key === 'string' ? KEEPABLE.get(key) : undefined;
    let end: number;
    if (keepable !== undefined) end = keep(b, p, keepable, [...path, key], w);
    else if (child !== undefined) end = walk(b, p, child, [...path, key], w);
    else end = skipValue(b, p);
    if (end < 0) return -1;
    p = skipSpace(b, end);
    if (b[p] === close) return p + 1;
    if (b[p] !== 0x2c) return -1;
    p = skipSpace(b, p + 1);
  }
}

/** A call field's value at p: kept when large and canonical; returns its end, or -1. */
function keep(b: Buffer, p: number, rule: 'object' | 'any', path: (string | number)[], w: Walk): number {
  // Found with the fast skip first: most values are small, and only a large one is worth the
  // canonical check.
  const end = skipValue(b, p);
  if (end - p < w.minBytes) return end;
  const c = b[p];
  const shaped = rule === 'object' ? c === 0x7b : c === 0x7b || c === 0x5b || c === 0x22;
  if (shaped && canonicalEnd(b, p, w.maxDepth) === end) w.kept.push({ path, start: p, end });
  return end;
}

/** Puts `value` at `path` in `body` where the parse left `token`; false when the token is not there. */
function replace(body: unknown, path: (string | number)[], token: string, value: RawJson): boolean {
  let node = body;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, path[i]!)) return false;
    node = (node as Record<string | number, unknown>)[path[i]!];
  }
  const last = path[path.length - 1]!;
  if (typeof node !== 'object' || node === null || !Object.hasOwn(node, last)) return false;
  const parent = node as Record<string | number, unknown>;
  if (parent[last] !== token) return false;
  parent[last] = value;
  return true;
}
