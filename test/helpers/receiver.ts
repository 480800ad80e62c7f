import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OMITTED_WHEN_NULL } from '../../src/shared/record-shape.test-suite.js';
import { decodeBody } from './decode-body.js';

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Bytes on the wire (compressed if it was). */
  wireBytes: number;
  body: unknown;
}

type Rec = Record<string, unknown>;

/**
 * A record as a server reads it: a member the SDK leaves out when null (`OMITTED_WHEN_NULL`) is null.
 * (The raw records are in `requests[].body`.)
 */
function asRead(record: Rec, optional: readonly string[]): Rec {
  if (record === null || typeof record !== 'object') return record;
  const read: Rec = { ...record };
  for (const k of optional) read[k] ??= null;
  return read;
}

/**
 * A small real HTTP receiver on a random loopback port that records what the SDK posts. Tests can make
 * it answer slowly or with errors. Not a mock of fetch: the SDK talks real HTTP to it.
 */
export class Receiver extends EventEmitter {
  readonly requests: ReceivedRequest[] = [];
  /** The records received, as a server reads them (see asRead). */
  readonly completes: Rec[] = [];
  readonly starts: Rec[] = [];
  readonly ends: Rec[] = [];
  /** Answers to give, in order, before answering 200; e.g. `[{ status: 503 }]`. */
  script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  /** Delay before answering each request. */
  delayMs = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }

  /** Resolves when `pred()` holds, re-checked on every request; rejects after the deadline. */
  async waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (pred()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!pred()) return;
        clearTimeout(timer);
        this.off('request', check);
        resolve();
      };
      this.on('request', check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const wire = Buffer.concat(chunks);
    const wireBytes = wire.length;
    const raw = decodeBody(req.headers['content-encoding'], wire);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const scripted = this.script.shift();
    if (scripted) {
      res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
      res.end(scripted.body ?? JSON.stringify({ error: 'scripted' }));
      this.emit('request');
      return;
    }
    const body = JSON.parse(raw.toString('utf8')) as Rec;
    const path = req.url ?? '';
    this.requests.push({ path, headers: req.headers, wireBytes, body });
    if (path.endsWith('/calls/complete'))
      this.completes.push(...(body.batch as Rec[]).map((r) => asRead(r, OMITTED_WHEN_NULL.complete)));
    else if (path.endsWith('/call/start'))
      this.starts.push(asRead(body.start as Rec, OMITTED_WHEN_NULL.start));
    else if (path.endsWith('/call/end')) this.ends.push(asRead(body.end as Rec, OMITTED_WHEN_NULL.end));
    res.writeHead(200, { 'content-type': 'application/json' });
    const start = body.start as Rec | undefined;
    res.end(JSON.stringify(start ? { id: start.id, trace_id: start.trace_id } : {}));
    this.emit('request');
  }
}
