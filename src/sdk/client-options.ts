import { InvalidOptionError } from '../shared/errors.js';
import { isProjectId } from '../shared/project-id.js';
import { resolvePipelineOptions } from '../pipeline/pipeline-options.js';
import type { PipelineOptions } from '../pipeline/pipeline-defaults.js';
import { consoleLogger, type WeftLogger } from '../pipeline/rate-limited-logger.js';
import { SERIALIZE_DEFAULTS, validateSerializeLimits, type SerializeLimits } from './serialize.js';
import { readSdkEnv } from './sdk-env.js';

/** A model's price in USD per 1M tokens, used to estimate `summary.usage[model].cost_usd`. */
export interface ModelPrice {
  /** USD per 1M prompt (input) tokens. */
  input: number;
  /** USD per 1M completion (output) tokens. */
  output: number;
}

/** Options of `init()`. Every field is optional when the environment supplies it. */
export interface InitOptions extends Partial<PipelineOptions> {
  /** `entity/project`, as the server accepts it (see src/shared/project-id.ts). Env: `WEFT_PROJECT`. Required. */
  project?: string;
  /** Env: `WEFT_SERVER_URL`. @default 'http://127.0.0.1:6345' */
  serverUrl?: string;
  /** Sent as `Authorization: Bearer`. Env: `WEFT_API_KEY`. */
  apiKey?: string;
  /** Truncation limits for recorded inputs and outputs. */
  serialize?: Partial<SerializeLimits>;
  /** Most items of a generator op's output kept as its recorded output. @default 1000 */
  maxIteratorItems?: number;
  /** Where warnings go. @default console.warn with a `[weft]` prefix */
  logger?: WeftLogger;
  /**
   * Root folder of the disk spool (records spill there under memory pressure or while the server is
   * unreachable, and wait there across restarts), or `false` for none. Env: `WEFT_SPOOL_DIR`.
   * @default '.weft/spool'
   */
  spoolDir?: string | false;
  /**
   * `memory`: records stay in memory and spill to disk only under pressure or outage. `spool`: every
   * finished call is written to the spool before it is sent, so a killed process loses none.
   * Env: `WEFT_DURABILITY`. @default 'memory'
   */
  durability?: 'memory' | 'spool';
  /**
   * On SIGINT/SIGTERM, finish (within `signalBudgetMs`) and then exit the way the signal would.
   * Env: `WEFT_HANDLE_SIGNALS=1`. @default false
   */
  handleSignals?: boolean;
  /** How long the signal handler may spend finishing. @default 5000 */
  signalBudgetMs?: number;
  /**
   * Prices by model name, over the built-in table of client wrappers (`wrapOpenAI`, `wrapAnthropic`):
   * a key also prices dated versions (`gpt-4o` prices `gpt-4o-2024-08-06`). @default {}
   */
  prices?: Record<string, ModelPrice>;
}

export const CLIENT_DEFAULTS = {
  /** Where a local `weft serve` listens. */
  serverUrl: 'http://127.0.0.1:6345',
  /** Items of a generator's output recorded. */
  maxIteratorItems: 1000,
  /** Root folder of the disk spool, relative to the working directory. */
  spoolDir: '.weft/spool',
  /** Records stay in memory unless under pressure or outage. */
  durability: 'memory',
  /** Time the opt-in signal handler spends finishing before the process exits. */
  signalBudgetMs: 5000,
} as const;

export interface ResolvedClientOptions extends PipelineOptions {
  project: string;
  serverUrl: string;
  apiKey: string | undefined;
  serialize: SerializeLimits;
  maxIteratorItems: number;
  logger: WeftLogger;
  spoolDir: string | false;
  durability: 'memory' | 'spool';
  handleSignals: boolean;
  signalBudgetMs: number;
  prices: Readonly<Record<string, ModelPrice>>;
}

/** Options over environment over defaults; throws InvalidOptionError naming the option and value. */
export function resolveClientOptions(options: InitOptions): ResolvedClientOptions {
  if (options === null || typeof options !== 'object')
    throw new InvalidOptionError('options', options, 'an object');
  const env = readSdkEnv();
  const project = options.project ?? env.project;
  if (typeof project !== 'string' || !isProjectId(project)) {
    throw new InvalidOptionError(
      'project',
      project,
      "'entity/project', each part 1-128 characters without whitespace, \\ # ? % : and not . or .. (or set WEFT_PROJECT)",
    );
  }
  const serverUrl = options.serverUrl ?? env.serverUrl ?? CLIENT_DEFAULTS.serverUrl;
  if (typeof serverUrl !== 'string' || !isHttpUrl(serverUrl)) {
    throw new InvalidOptionError('serverUrl', serverUrl, 'an http:// or https:// URL');
  }
  const apiKey = options.apiKey ?? env.apiKey;
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey === '')) {
    throw new InvalidOptionError('apiKey', apiKey, 'a non-empty string');
  }
  const maxIteratorItems = options.maxIteratorItems ?? CLIENT_DEFAULTS.maxIteratorItems;
  if (!Number.isSafeInteger(maxIteratorItems) || maxIteratorItems < 0) {
    throw new InvalidOptionError('maxIteratorItems', maxIteratorItems, 'an integer >= 0');
  }
  const spoolDir = options.spoolDir ?? env.spoolDir ?? CLIENT_DEFAULTS.spoolDir;
  if (spoolDir !== false && (typeof spoolDir !== 'string' || spoolDir === '')) {
    throw new InvalidOptionError('spoolDir', spoolDir, 'a folder path or false');
  }
  const durability = options.durability ?? env.durability ?? CLIENT_DEFAULTS.durability;
  if (durability !== 'memory' && durability !== 'spool') {
    throw new InvalidOptionError('durability', durability, "'memory' or 'spool'");
  }
  if (durability === 'spool' && spoolDir === false) {
    throw new InvalidOptionError('durability', durability, "'memory' when spoolDir is false");
  }
  const handleSignals = options.handleSignals ?? (env.handleSignals === '1' || env.handleSignals === 'true');
  if (typeof handleSignals !== 'boolean')
    throw new InvalidOptionError('handleSignals', handleSignals, 'a boolean');
  const signalBudgetMs = options.signalBudgetMs ?? CLIENT_DEFAULTS.signalBudgetMs;
  if (!Number.isSafeInteger(signalBudgetMs) || signalBudgetMs < 0) {
    throw new InvalidOptionError('signalBudgetMs', signalBudgetMs, 'an integer >= 0');
  }
  const logger = options.logger ?? consoleLogger;
  if (typeof logger?.warn !== 'function')
    throw new InvalidOptionError('logger', logger, 'an object with warn()');
  return {
    ...resolvePipelineOptions(options),
    project,
    serverUrl,
    apiKey,
    serialize: { ...SERIALIZE_DEFAULTS, ...validateSerializeLimits(options.serialize ?? {}) },
    maxIteratorItems,
    logger,
    spoolDir,
    durability,
    handleSignals,
    signalBudgetMs,
    prices: resolvePrices(options.prices),
  };
}

/** A validated copy of the `prices` option; throws InvalidOptionError naming the bad entry. */
function resolvePrices(prices: unknown): Record<string, ModelPrice> {
  if (prices === undefined) return {};
  if (prices === null || typeof prices !== 'object' || Array.isArray(prices))
    throw new InvalidOptionError('prices', prices, 'an object of { input, output } by model name');
  const out: Record<string, ModelPrice> = Object.create(null) as Record<string, ModelPrice>;
  for (const [model, price] of Object.entries(prices)) {
    const p = price as Partial<ModelPrice> | null;
    for (const field of ['input', 'output'] as const) {
      const v = p !== null && typeof p === 'object' ? p[field] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new InvalidOptionError(
          `prices[${JSON.stringify(model)}].${field}`,
          v,
          'USD per 1M tokens, >= 0',
        );
    }
    out[model] = { input: p!.input!, output: p!.output! };
  }
  return out;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
