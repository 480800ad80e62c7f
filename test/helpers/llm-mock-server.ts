import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a JSON body, an SSE stream of JSON events, or an error status. */
export type MockAnswer =
  | { kind: 'json'; body: unknown; status?: number; headers?: Record<string, string> }
  | { kind: 'sse'; events: { event?: string; data: unknown }[]; done?: boolean }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> };

export interface MockRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A real HTTP server on a random loopback port that speaks the OpenAI and Anthropic wire formats from a
 * script: each request takes the next answer queued for its path (else `fallback`). Not a fetch mock:
 * the real SDKs talk HTTP to it.
 */
export class LlmMockServer {
  readonly requests: MockRequest[] = [];
  private readonly queues = new Map<string, MockAnswer[]>();
  fallback: (path: string, body: unknown) => MockAnswer = () => ({
    kind: 'error',
    status: 404,
    body: { error: { message: 'no answer' } },
  });
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Queues answers for `path` (e.g. `/chat/completions`), given in order. */
  answer(path: string, ...answers: MockAnswer[]): void {
    const q = this.queues.get(path) ?? [];
    q.push(...answers);
    this.queues.set(path, q);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v1/, '');
    const body = text ? (JSON.parse(text) as unknown) : null;
    this.requests.push({ method: req.method ?? 'GET', path, body });
    const answer = this.queues.get(path)?.shift() ?? this.fallback(path, body);
    if (answer.kind === 'sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req-mock' });
      for (const e of answer.events) {
        res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
      }
      if (answer.done) res.write('data: [DONE]\n\n');
      res.end();
      return;
    }
    const status = answer.kind === 'error' ? answer.status : (answer.status ?? 200);
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': 'req-mock',
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  }
}

/** A `chat.completion` answering `text`. */
export function chatCompletion(text: string, model = 'gpt-4o-mini-2024-07-18'): unknown {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  };
}

/** `chat.completion.chunk` events streaming `parts`, a tool call, and (with usage) a usage chunk. */
export function chatChunks(
  parts: string[],
  withUsage: boolean,
  model = 'gpt-4o-mini-2024-07-18',
): { data: unknown }[] {
  const base = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const events: { data: unknown }[] = [
    {
      data: {
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      },
    },
    ...parts.map((p) => ({
      data: { ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] },
    })),
    {
      data: {
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: 'call_1',
                  type: 'function',
                  function: { name: 'lookup', arguments: '{"q":' },
                },
              ],
            },
            finish_reason: null,
          },
        ],
      },
    },
    {
      data: {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
      },
    },
  ];
  if (withUsage)
    events.push({
      data: { ...base, choices: [], usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 } },
    });
  return events;
}
