import { Worker } from 'node:worker_threads';
import type { CallWriteJob } from '../routes/call-writes.js';
import type { ErrorBody } from '../error-response.js';
import type { WriteWorkerConfig, WriteWorkerReply, WriteWorkerRequest } from './write-worker-protocol.js';

/** What an offloaded write answers: the status and JSON body the route sends, and what to log. */
export interface OffloadedAnswer {
  status: number;
  body: Record<string, unknown> | ErrorBody;
  /** An unexpected (500) error's stack, for the server's log. */
  log?: string;
}

/**
 * Runs large call writes (parse, validate, authorise, insert) in a worker thread with its own store
 * connection, so one 30 MiB body does not hold the event loop for the ~400 ms its `JSON.parse`,
 * `JSON.stringify` and SQLite insert take, and `/health` and every other request keep answering.
 *
 * One worker, started on the first large body, runs one write at a time (the others queue, their
 * bodies already read and counted by the body limit); it is `unref`'d, so an idle worker never keeps
 * the process alive, while a request waiting on it does (its socket). The body's bytes are moved to the
 * worker, not copied. If the worker dies, the writes it held are answered 503 (the client retries:
 * each write is one transaction, so nothing was half-written) and the next large body starts a new one.
 *
 * `exclusiveWrites` (SQLite: one writer at a time per database file) makes {@link idle} meaningful:
 * the event loop's own writes wait for it rather than block inside SQLite's busy handler while the
 * worker holds the write lock.
 */
export class WriteOffload {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (answer: OffloadedAnswer) => void>();
  private nextId = 1;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Writes run in the worker since the server started (for `/server_stats` and tests). */
  offloaded = 0;

  constructor(
    private readonly config: WriteWorkerConfig,
    /** Bodies of at least this many bytes are written in the worker. */
    readonly minBytes: number,
  ) {}

  get exclusiveWrites(): boolean {
    return this.config.storeKind !== 'clickhouse';
  }

  /** Writes `job` with its raw JSON body in the worker; resolves with the answer to send. */
  run(job: CallWriteJob, body: Buffer): Promise<OffloadedAnswer> {
    if (this.closed) return Promise.resolve(unavailable('the server is shutting down'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const bytes = transferable(body);
    const request: WriteWorkerRequest = { type: 'write', id, job, bytes };
    this.offloaded++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (this.pending.size === 1) worker.ref();
      worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  /** Resolves when no offloaded write is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
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
    worker.postMessage({ type: 'close' } satisfies WriteWorkerRequest);
    await exited;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./write-worker.js', import.meta.url), { workerData: this.config });
    worker.unref();
    worker.on('message', (reply: WriteWorkerReply) => this.settle(reply.id, reply.answer));
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.pending.keys()]) this.settle(id, unavailable(why));
    };
    worker.on('error', (err) => fail(`the write worker failed (${err.message}); retry the request`));
    worker.on('exit', (code) => fail(`the write worker exited (code ${code}); retry the request`));
    return worker;
  }

  private settle(id: number, answer: OffloadedAnswer): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(answer);
    if (this.pending.size > 0) return;
    this.worker?.unref();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

function unavailable(why: string): OffloadedAnswer {
  return { status: 503, body: { error: why } };
}

/** `body` as a Uint8Array that owns its whole ArrayBuffer (so it can be moved), copying only if not. */
function transferable(body: Buffer): Uint8Array {
  if (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) {
    return new Uint8Array(body.buffer, 0, body.byteLength);
  }
  return new Uint8Array(body);
}
