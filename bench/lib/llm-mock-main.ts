import { chatChunks, chatCompletion, LlmMockServer } from '../../test/helpers/llm-mock-server.js';
import { onStopRequest } from './child-process.js';

/**
 * Child-process entry of the bench's LLM mock: the tests' OpenAI wire-format server (real HTTP on
 * loopback), answering every `/chat/completions` at once with a completion, or with an SSE stream of
 * chunks (text, a tool call, a usage chunk) when the request asks for `stream: true`. In its own
 * process so its CPU is not counted against the client under test.
 */
const mock = new LlmMockServer();
mock.fallback = (_path, body) =>
  (body as { stream?: unknown } | null)?.stream === true
    ? { kind: 'sse', events: chatChunks(['Hel', 'lo', ' there'], true), done: true }
    : { kind: 'json', body: chatCompletion('Hello there') };
await mock.start();
// The mock keeps every request for the tests' assertions; a bench sends tens of thousands.
setInterval(() => mock.requests.splice(0), 1000).unref();
onStopRequest(() => mock.close());
process.send?.({ ready: { url: mock.url } });
