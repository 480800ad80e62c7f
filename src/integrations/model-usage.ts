import type { ModelPrice } from '../sdk/client-options.js';
import { MODEL_PRICES } from './prices.js';

/** Token usage in the shape weft records for every provider. */
export interface NormalizedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * A provider's usage object as prompt/completion/total tokens: OpenAI Chat and Embeddings as they are,
 * OpenAI Responses and Anthropic `input_tokens`/`output_tokens` renamed (Anthropic's cache reads and
 * writes count as prompt tokens). Undefined when there is no usable count.
 */
export function normalizeUsage(usage: unknown): NormalizedUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  let prompt: number;
  let completion: number;
  if (isCount(u.prompt_tokens)) {
    prompt = u.prompt_tokens;
    completion = count(u.completion_tokens);
  } else if (isCount(u.input_tokens)) {
    prompt = u.input_tokens + count(u.cache_creation_input_tokens) + count(u.cache_read_input_tokens);
    completion = count(u.output_tokens);
  } else return undefined;
  const total = isCount(u.total_tokens) ? u.total_tokens : prompt + completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

/** Prices already looked up, per overrides table (a client's `prices`); at most this many models each. */
const lookups = new WeakMap<object, Map<string, ModelPrice | undefined>>();
const MAX_CACHED_MODELS = 1000;

/**
 * The price of `model`: the exact key, else the longest key followed by `-` (a dated version). Cached
 * per model: a traced client asks for the same few models on every call.
 */
export function priceOf(
  model: string,
  overrides: Readonly<Record<string, ModelPrice>>,
): ModelPrice | undefined {
  let cache = lookups.get(overrides);
  if (cache === undefined) lookups.set(overrides, (cache = new Map()));
  if (cache.has(model)) return cache.get(model);
  const price = lookUp(model, overrides);
  if (cache.size < MAX_CACHED_MODELS) cache.set(model, price);
  return price;
}

function lookUp(model: string, overrides: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const exact = Object.hasOwn(overrides, model) ? overrides[model] : undefined;
  if (exact) return exact;
  if (Object.hasOwn(MODEL_PRICES, model)) return MODEL_PRICES[model];
  let best: ModelPrice | undefined;
  let bestLength = 0;
  for (const table of [MODEL_PRICES, overrides]) {
    for (const key of Object.keys(table)) {
      if (key.length >= bestLength && model.startsWith(`${key}-`)) {
        best = table[key];
        bestLength = key.length;
      }
    }
  }
  return best;
}

/** Estimated USD cost of `usage` at `price`, rounded to 1e-9 USD. */
export function costUsd(usage: NormalizedUsage, price: ModelPrice): number {
  const usd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
  return Math.round(usd * 1e9) / 1e9;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function count(v: unknown): number {
  return isCount(v) ? v : 0;
}
