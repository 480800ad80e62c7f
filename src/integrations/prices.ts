import type { ModelPrice } from '../sdk/client-options.js';

/**
 * Built-in list prices in USD per 1M tokens (standard tier, as published by OpenAI and Anthropic in
 * 2025), used to estimate `summary.usage[model].cost_usd`. A key also prices the model's dated and
 * suffixed versions (`gpt-4o` prices `gpt-4o-2024-08-06`; the longest matching key wins). Cached and
 * batch discounts are not modelled: the cost is an estimate. Extend or override with `init({ prices })`.
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  /** OpenAI GPT-5 family. */
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  /** OpenAI GPT-4.1 family. */
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  /** OpenAI GPT-4o family. */
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  /** Older OpenAI chat models. */
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  /** OpenAI reasoning models. */
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  /** OpenAI embeddings (input only). */
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  /** Anthropic Claude 4.x. */
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  /** Anthropic Claude 3.x. */
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
};
