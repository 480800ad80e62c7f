import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { TraceStore } from '../../store/trace-store.js';
import { errorToResponse } from '../error-response.js';
import { openStore } from '../open-store.js';
import { parseJsonObject } from '../read-body.js';
import { writeCalls } from '../routes/call-writes.js';
import type { OffloadedAnswer } from './write-offload.js';
import type { WriteWorkerConfig, WriteWorkerReply, WriteWorkerRequest } from './write-worker-protocol.js';

/**
 * The write worker (see write-offload.ts): opens its own connection to the server's store, then for
 * each large call write parses the body, runs the same `writeCalls` as the event loop and posts back
 * the answer. Writes run one at a time, in the order they arrive.
 */
const port = parentPort;
if (!port) throw new Error('write-worker.js runs as a worker thread');
const config = workerData as WriteWorkerConfig;
const opened: Promise<TraceStore> = openStore(config.db, config);
opened.catch(() => undefined); // reported with the first write
const EMPTY = new Uint8Array(0);
const collectGarbage = exposedGc();
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: WriteWorkerRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: WriteWorkerRequest): Promise<void> {
  if (request.type === 'close') {
    await opened.then((store) => store.close()).catch(() => undefined);
    port?.close();
    return;
  }
  const reply: WriteWorkerReply = { id: request.id, answer: await answer(request) };
  port?.postMessage(reply);
}

async function answer(request: WriteWorkerRequest & { type: 'write' }): Promise<OffloadedAnswer> {
  try {
    const store = await opened;
    const body = takeBody(request);
    collectGarbage(); // the body's bytes and text: ~2× its size, no longer needed
    return { status: 200, body: await writeCalls(store, request.job, body) };
  } catch (err) {
    const { status, body } = errorToResponse(err);
    const log =
      status === 500 ? (err instanceof Error ? (err.stack ?? err.message) : String(err)) : undefined;
    return log === undefined ? { status, body } : { status, body, log };
  } finally {
    collectGarbage(); // the parsed body and its serialised columns
  }
}

/** The request's body parsed; the request no longer holds its bytes, so they and the text can go. */
function takeBody(request: WriteWorkerRequest & { type: 'write' }): Record<string, unknown> {
  const { bytes } = request;
  request.bytes = EMPTY;
  return parseJsonObject(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
}

/**
 * A full garbage collection of this worker's heap, run between the steps of a write. A write worker
 * allocates in bursts of several times a large body (bytes, text, parsed value, serialised columns)
 * and then sits idle; left to V8's heuristics, 20 writes of 30 MiB grew the process by ~570 MiB before
 * a collection. `gc` is exposed to one new context only: the flag is switched on, a context is made
 * and the flag switched off again, so no other context (the event loop's, other workers') sees it.
 */
function exposedGc(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : () => undefined;
  } catch {
    return () => undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
