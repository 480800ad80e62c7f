import { types } from 'node:util';
import type { RunningCall } from './running-call.js';

/**
 * Responses whose usage a client wrapper already added to its own call: an op that returns one does not
 * count it a second time (it gets it from its child).
 */
const usageReported = new WeakSet<object>();

export function markUsageReported(output: object): void {
  usageReported.add(output);
}

/**
 * OpenAI-style results (`{ model, usage: {...} }`) report their token usage: adds it to `call`. Only
 * own data properties count: a getter is left for the serializer to run (once), a Proxy is not looked
 * into. Never throws.
 */
export function detectUsage(output: unknown, call: RunningCall): void {
  if (output === null || typeof output !== 'object' || usageReported.has(output)) return;
  try {
    if (types.isProxy(output)) return;
    const model = dataProperty(output, 'model');
    const usage = dataProperty(output, 'usage');
    if (typeof model === 'string' && usage !== null && typeof usage === 'object' && !types.isProxy(usage)) {
      call.addUsage(model, usage as Record<string, number>);
    }
  } catch {
    // a throwing getter: no usage
  }
}

/** The value of an own data property, undefined for a getter or a missing one. Runs no user code. */
function dataProperty(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d !== undefined && 'value' in d ? d.value : undefined;
}
