import type { AttrValue, Attributes } from './otlp-spans.js';

/** What an LLM semantic convention (GenAI, OpenInference) says about a span, in weft's call shape. */
export interface LlmMapping {
  /** Request: `model`, `messages`, request parameters. */
  inputs: Record<string, unknown>;
  /** Response (`{ model, choices, usage }`) or a span's output value; undefined when the span has none. */
  output: unknown;
  /** The model the usage is keyed by (response model, else request model). */
  model: string | undefined;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | undefined;
  /** Attributes moved into inputs/output (message contents), dropped from the call's attributes. */
  consumed: Set<string>;
  /** Indexes of span events moved into inputs/output. */
  consumedEvents: Set<number>;
}

export function emptyMapping(): LlmMapping {
  return {
    inputs: {},
    output: undefined,
    model: undefined,
    usage: undefined,
    consumed: new Set(),
    consumedEvents: new Set(),
  };
}

/**
 * Indexed attributes under `prefix` as an array: `{ 'p.0.role': 'user', 'p.0.content': 'hi',
 * 'p.1.tool_calls.0.name': 'f' }` with prefix `p.` gives `[{ role, content }, { tool_calls: [{ name }] }]`.
 * Numeric segments are array indexes (at most `maxIndex`, so `p.99999999.x` cannot allocate a huge
 * array), the rest object keys. The keys used are added to `consumed`. Undefined when there are none.
 */
export function unflattenIndexed(
  attrs: Attributes,
  prefix: string,
  consumed: Set<string>,
  maxIndex = 10_000,
): unknown[] | undefined {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let found = false;
  for (const key of Object.keys(attrs)) {
    if (!key.startsWith(prefix)) continue;
    const segments = key.slice(prefix.length).split('.');
    if (!isIndex(segments[0], maxIndex) || segments.some((s) => s === '')) continue;
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i] as string;
      const next = node[seg];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else node = node[seg] = Object.create(null) as Record<string, unknown>;
    }
    node[segments[segments.length - 1] as string] = attrs[key] ?? null;
    consumed.add(key);
    found = true;
  }
  return found ? (toArrays(root, maxIndex) as unknown[]) : undefined;
}

/** Objects whose keys are all indexes become arrays (in index order, gaps dropped). */
function toArrays(node: unknown, maxIndex: number): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 0 && keys.every((k) => isIndex(k, maxIndex))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => toArrays(record[String(k)], maxIndex));
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) out[k] = toArrays(record[k], maxIndex);
  return { ...out }; // a key `__proto__` stays a key
}

function isIndex(segment: string | undefined, maxIndex: number): boolean {
  return segment !== undefined && /^\d{1,6}$/.test(segment) && Number(segment) <= maxIndex;
}

/**
 * `o[key] = value` as a data property, so that a key `__proto__` (from a span attribute or parsed JSON)
 * is kept as a key instead of replacing the object's prototype.
 */
export function setKey(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A string holding a JSON object or array, parsed; anything else as is. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** A non-negative finite count, or undefined. */
export function countOf(value: AttrValue | undefined): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function stringOf(value: AttrValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** prompt/completion/total tokens from whichever counts are known; undefined when none is. */
export function tokenUsage(
  prompt: number | undefined,
  completion: number | undefined,
  total: number | undefined,
): LlmMapping['usage'] {
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  const p = prompt ?? 0;
  const c = completion ?? 0;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: total ?? p + c };
}
