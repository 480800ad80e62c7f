import { activeClient } from '../../sdk/client-registry.js';
import { patchMethod } from '../traced-api-call.js';
import { MessageStreamAccumulator } from './message-stream-accumulator.js';

/** The header the SDK's `messages.stream()` helper sends with the `messages.create` it makes. */
const HELPER_HEADER = 'x-stainless-helper-method';

/**
 * Traces an `@anthropic-ai/sdk` client in place and returns it: `messages.create` (streamed or not) and
 * `messages.stream()` (which calls `messages.create`; recorded as `anthropic.messages.stream`) become calls
 * under the current op, with `summary.usage[model]` in prompt/completion/total tokens (input/output
 * renamed, cache reads and writes counted as prompt) and the estimated `cost_usd`. The MessageStream,
 * its events and `finalMessage()` are unchanged. Never throws.
 */
export function wrapAnthropic<T>(client: T): T {
  try {
    const c = client as { messages?: unknown } | null;
    if (c === null || typeof c !== 'object') return client;
    patchMethod(c.messages, 'create', {
      opName: (_params, options) =>
        isStreamHelper(options) ? 'anthropic.messages.stream' : 'anthropic.messages.create',
      accumulator: () => new MessageStreamAccumulator(),
    });
  } catch (err) {
    activeClient()?.reportInternalError(err);
  }
  return client;
}

function isStreamHelper(options: unknown): boolean {
  const headers = (options as { headers?: unknown } | null | undefined)?.headers;
  if (headers === null || typeof headers !== 'object') return false;
  for (const [k, v] of Object.entries(headers))
    if (k.toLowerCase() === HELPER_HEADER && v === 'stream') return true;
  return false;
}
