import { activeClient } from '../../sdk/client-registry.js';
import { patchMethod } from '../traced-api-call.js';
import { ChatStreamAccumulator } from './chat-stream-accumulator.js';
import { ResponsesStreamAccumulator } from './responses-stream-accumulator.js';

/** A response that is not streamed has nothing to accumulate. */
const NO_STREAM = { add: () => undefined, output: () => null };

/**
 * Traces an `openai` (v6) client in place and returns it: `chat.completions.create`, `responses.create`
 * and `embeddings.create` (streamed or not) become calls under the current op, with the request params
 * as inputs, the response (a stream's accumulated message) as output, and `summary.usage[model]` with
 * prompt/completion/total tokens, `requests` and the estimated `cost_usd`. Everything the client returns
 * is unchanged. Never throws: a value that is not an OpenAI client is returned as is.
 */
export function wrapOpenAI<T>(client: T): T {
  try {
    const c = client as {
      chat?: { completions?: unknown };
      responses?: unknown;
      embeddings?: unknown;
    } | null;
    if (c === null || typeof c !== 'object') return client;
    patchMethod(c.chat?.completions, 'create', {
      opName: 'openai.chat.completions.create',
      accumulator: () => new ChatStreamAccumulator(),
    });
    patchMethod(c.responses, 'create', {
      opName: 'openai.responses.create',
      accumulator: () => new ResponsesStreamAccumulator(),
    });
    patchMethod(c.embeddings, 'create', { opName: 'openai.embeddings.create', accumulator: () => NO_STREAM });
  } catch (err) {
    activeClient()?.reportInternalError(err);
  }
  return client;
}
