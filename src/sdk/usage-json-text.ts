import type { ModelUsage } from '../shared/call-types.js';
import { toJsonText } from './json-text.js';
import type { SerializeLimits } from './serialize.js';

/**
 * JSON text of a call's usage summary, as `toJsonText` gives it. The summary is weft's own object
 * (model -> counter -> finite number, built by `addUsage`): within the limits it is plain data that
 * `JSON.stringify` writes as is, with no check of each value; past them, the serializer truncates.
 */
export function usageJsonText(usage: Record<string, ModelUsage>, limits: SerializeLimits): string {
  const { maxObjectKeys: maxKeys, maxStringLength: maxLength } = limits;
  // An object at depth 0 and 1 (maxDepth > 1); one node per object and number (maxTotalNodes).
  let nodes = 1;
  let models = 0;
  for (const model in usage) {
    if (++models > maxKeys || model.length > maxLength) return toJsonText(usage, limits);
    const counters = usage[model]!;
    let keys = 0;
    for (const key in counters) {
      if (++keys > maxKeys || key.length > maxLength || !Number.isFinite(counters[key]))
        return toJsonText(usage, limits);
    }
    nodes += 1 + keys;
  }
  const plain = nodes <= limits.maxTotalNodes && limits.maxDepth > 1 && !('toJSON' in usage);
  return plain ? JSON.stringify(usage) : toJsonText(usage, limits);
}
