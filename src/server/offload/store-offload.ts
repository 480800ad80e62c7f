import { Worker } from 'node:worker_threads';
import type { CallsQuery } from '../../store/trace-store.js';
import type { CallWriteJob } from '../routes/call-writes.js';
import type { OffloadConfig, OffloadedAnswer, OffloadReply, OffloadRequest } from './offload-protocol.js';
import { HttpError } from '../http-error.js';
import { OffloadedError } from './offloaded-error.js';

/**
 * Runs the requests that would hold the event loop in a worker thread with its own store connection:
 * large call writes (parse, validate, authorise, insert: a 30 MiB body takes ~400 ms) and, on SQLite,
 * the capped `/calls/query` pages (reaching a row of a large call loads its whole record, ~25 ms a
 * row) and `/call/read` (a 30 MiB call takes ~150 ms to load, parse and serialise). `/health` and
 * every other request keep answering meanwhile.
 *
 * One worker, started on first use, runs writes one at a time in arrival order (the others queue,
 * their bodies already read and counted by the body limit) and pages alongside. It is `unref`'d while
 * it holds nothing, so an idle worker never keeps the process alive, while a request waiting on it
 * does. A write's bytes are moved to the worker, not copied. If the worker dies, what it held is
 * answered 503 (the client retries: each write is one transaction, so nothing was half-written) and
 * the next request starts a new one.
 *
 * `exclusiveWrites` (SQLite: one writer at a time per database file) makes {@link idle} meaningful:
 * the event loop's own writes wait for it rather than block inside SQLite's busy handler while the
 * worker holds the write lock.
 */
export class StoreOffload {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (reply: OffloadReply) => void>();
  private nextId = 1;
  private writesInFlight = 0;
  private queuedBytes = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Writes run in the worker since the server started (for `/server_stats` and tests). */
  offloadedWrites = 0;
  /** Pages read in the worker since the server started. */
  offloadedPages = 0;
  /** `/call/read` calls read in the worker since the server started. */
  offloadedReads = 0;

  constructor(
    private readonly config: OffloadConfig,
    /** Bodies of at least this many bytes are written in the worker. */
    readonly minBytes: number,
    /** Most bytes of bodies handed to the worker and not yet written; past it, `write` refuses. */
    private readonly maxQueuedBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** One writer at a time on the store (SQLite): see {@link idle}. Pages are read in the worker too. */
  get exclusiveWrites(): boolean {
    return this.config.storeKind !== 'clickhouse';
  }

  /**
   * Writes `job` with its raw JSON body in the worker; resolves with the JSON answer, or rejects. While
   * the bodies already handed over and not yet written exceed `maxQueuedBytes` (clients sending large
   * calls faster than they can be written), it refuses at once with a 429 and `Retry-After`: the
   * body's memory is let go rather than queued.
   */
  async write(job: CallWriteJob, body: Buffer): Promise<Record<string, unknown>> {
    const size = body.length;
    if (this.queuedBytes > 0 && this.queuedBytes + size > this.maxQueuedBytes) {
      throw new HttpError(
        429,
        `too many large call writes in progress (${this.queuedBytes} bytes queued); retry shortly`,
        { retryAfterSeconds: 1 },
      );
    }
    const bytes = transferable(body);
    this.offloadedWrites++;
    this.writesInFlight++;
    this.queuedBytes += size;
    try {
      const reply = await this.ask({ type: 'write', id: 0, job, bytes }, [bytes.buffer as ArrayBuffer]);
      if (reply.type === 'written') return reply.body;
      throw new OffloadedError(failureOf(reply));
    } finally {
      this.queuedBytes -= size;
      if (--this.writesInFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** `/call/read`'s answer body (`{"call":...}`, UTF-8), read and serialised in the worker. */
  async readCallBody(projectId: string, callId: string): Promise<Uint8Array<ArrayBuffer>> {
    this.offloadedReads++;
    const reply = await this.ask({ type: 'read', id: 0, projectId, callId });
    if (reply.type === 'call') return reply.bytes as Uint8Array<ArrayBuffer>;
    throw new OffloadedError(failureOf(reply));
  }

  /** The JSON lines of a capped `/calls/query` page, read in the worker. */
  page(query: CallsQuery): AsyncIterableIterator<string> {
    this.offloadedPages++;
    const lines: string[] = [];
    let next = 0;
    let done = false;
    let failure: OffloadedAnswer | undefined;
    let wake: (() => void) | undefined;
    const id = this.send({ type: 'page', id: 0, query }, (reply) => {
      if (reply.type === 'lines') {
        lines.push(...reply.lines);
        done = reply.done;
      } else {
        failure = failureOf(reply);
        done = true;
      }
      wake?.();
    });
    if (id === undefined) {
      failure = { status: 503, body: { error: 'the server is shutting down' } };
      done = true;
    }
    const finish = () => {
      if (id !== undefined && this.pending.delete(id)) {
        this.worker?.postMessage({ type: 'cancel', id } satisfies OffloadRequest);
        this.released();
      }
    };
    const iterator: AsyncIterableIterator<string> = {
      next: async () => {
        while (next === lines.length && !done) await new Promise<void>((resolve) => (wake = resolve));
        if (next < lines.length) {
          const value = lines[next++] as string;
          if (next === lines.length) lines.length = next = 0;
          return { value, done: false };
        }
        finish();
        if (failure) throw new OffloadedError(failure);
        return { value: undefined, done: true };
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Resolves when no offloaded write is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.writesInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Lets in-flight writes finish, then stops the worker (which closes its store). */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref(); // an awaited close keeps the process alive until the worker has closed its store
    worker.postMessage({ type: 'close' } satisfies OffloadRequest);
    await exited;
  }

  /** Posts a request answered by one reply; once closed, that reply is a 503. */
  private ask(request: OffloadRequest & { id: number }, transfer: ArrayBuffer[] = []): Promise<OffloadReply> {
    return new Promise((resolve) => {
      if (this.send(request, resolve, transfer) === undefined) {
        resolve(unavailable(0, 'the server is shutting down'));
      }
    });
  }

  /** Posts `request` under a fresh id whose replies go to `onReply`; undefined once closed. */
  private send(
    request: OffloadRequest & { id: number },
    onReply: (reply: OffloadReply) => void,
    transfer: ArrayBuffer[] = [],
  ): number | undefined {
    if (this.closed) return undefined;
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    this.pending.set(id, onReply);
    if (this.pending.size === 1) worker.ref();
    worker.postMessage({ ...request, id }, transfer);
    return id;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./offload-worker.js', import.meta.url), { workerData: this.config });
    worker.unref();
    worker.on('message', (reply: OffloadReply) => this.deliver(reply));
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.pending.keys()]) this.deliver(unavailable(id, why));
    };
    worker.on('error', (err) => fail(`the store worker failed (${err.message}); retry the request`));
    worker.on('exit', (code) => fail(`the store worker exited (code ${code}); retry the request`));
    return worker;
  }

  private deliver(reply: OffloadReply): void {
    const onReply = this.pending.get(reply.id);
    if (!onReply) return;
    const last = reply.type !== 'lines' || reply.done;
    if (last) this.pending.delete(reply.id);
    onReply(reply);
    if (last) this.released();
  }

  /** After a request left `pending`: an idle worker no longer keeps the process alive. */
  private released(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }
}

function unavailable(id: number, why: string): OffloadReply {
  return { id, type: 'failed', answer: { status: 503, body: { error: why } } };
}

/** The answer of a reply that is not the one expected: its failure, or a 500 for a wrong kind. */
function failureOf(reply: OffloadReply): OffloadedAnswer {
  if (reply.type === 'failed') return reply.answer;
  return { status: 500, body: { error: 'internal server error' }, log: `unexpected ${reply.type} reply` };
}

/**
 * `body` as a view of an ArrayBuffer that can be moved to the worker: its own when that is not Node's
 * shared pool (a request body's buffer may be larger than the body, read-body.ts), else a copy.
 */
function transferable(body: Buffer): Uint8Array {
  if (body.buffer.byteLength > Buffer.poolSize) {
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  return new Uint8Array(body);
}
