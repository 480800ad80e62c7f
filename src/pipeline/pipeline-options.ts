import { InvalidOptionError } from '../shared/errors.js';
import { PIPELINE_DEFAULTS, type PipelineOptions } from './pipeline-defaults.js';

/** Options that may be 0 (all others must be positive). */
const ZERO_ALLOWED: ReadonlySet<string> = new Set([
  'autoEagerAfterMs',
  'batchIntervalMs',
  'gzipThresholdBytes',
]);

/** Merges user options over the defaults; throws InvalidOptionError naming the first bad option. */
export function resolvePipelineOptions(
  input: Partial<Record<keyof PipelineOptions, unknown>>,
): PipelineOptions {
  const out: PipelineOptions = { ...PIPELINE_DEFAULTS };
  for (const key of Object.keys(PIPELINE_DEFAULTS) as (keyof PipelineOptions)[]) {
    const value = input[key];
    if (value === undefined) continue;
    const min = ZERO_ALLOWED.has(key) ? 0 : 1;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidOptionError(key, value, `an integer >= ${min}`);
    }
    out[key] = value;
  }
  return out;
}
