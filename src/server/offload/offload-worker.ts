import { parentPort, workerData } from 'node:worker_threads';
import type { TraceStore } from '../../store/trace-store.js';
import { errorToResponse } from '../error-response.js';
import { jsonTexts } from '../json-page-stream.js';
import { openStore } from '../open-store.js';
import { parseJsonObject } from '../read-body.js';
import { writeCalls } from '../routes/call-writes.js';
import { unpooledBuffer } from '../unpooled-buffer.js';
import { exposedGc } from './exposed-gc.js';
import { parseCountingKept } from './parse-keeping-raw.js';
import type { OffloadConfig, OffloadedAnswer, OffloadReply, OffloadRequest } from './offload-protocol.js';

/**
 * The store worker (see store-offload.ts): opens its own connection to the server's store, then runs
 * what the event loop hands it: large call writes, one at a time in arrival order (the same
 * `writeCalls` as the event loop), and capped calls pages, whose lines go back in batches.
 */
const port = parentPort;
if (!port) throw new Error('offload-worker.js runs as a worker thread');
const config = workerData as OffloadConfig;
const collectGarbage = exposedGc();
/** What the store runs once a write's kept values are bound (SqliteStoreOptions.releaseMemory). */
let releaseMemory: () => void = () => undefined;
const opened: Promise<TraceStore> = openStore(config.db, {
  ...config,
  sqlite: { ...config.sqlite, releaseMemory: () => releaseMemory() },
});
opened.catch(() => undefined); // reported with the first request
/** Lines of a page are posted in batches of about this many characters. */
const BATCH_CHARS = 64 * 1024;
const EMPTY = new Uint8Array(0);
/** Bodies from this size on are followed by full collections (see `write`). */
const GC_FROM_BYTES = 8 * 1024 * 1024;
/** Pages being read, and those of them the event loop no longer wants. */
const active = new Set<number>();
const cancelled = new Set<number>();
let writes: Promise<void> = Promise.resolve();

port.on('message', (request: OffloadRequest) => {
  if (request.type === 'write') writes = writes.then(() => write(request));
  else if (request.type === 'page') void page(request);
  else if (request.type === 'read') void read(request);
  else if (request.type === 'cancel') {
    if (active.has(request.id)) cancelled.add(request.id);
  } else void writes.then(close);
});

function post(reply: OffloadReply): void {
  port?.postMessage(reply);
}

async function close(): Promise<void> {
  await opened.then((store) => store.close()).catch(() => undefined);
  port?.close();
}

async function write(request: OffloadRequest & { type: 'write' }): Promise<void> {
  // A full collection costs a few ms: worth it after a body large enough to leave tens of MiB behind,
  // not after each of a bulk load's few-MiB batches (V8's own scavenges handle those).
  // Values kept as text hold the body until the store has bound them, then the store collects it
  // (releaseMemory); parsed values let it go at once.
  const collect = request.bytes.length >= GC_FROM_BYTES ? collectGarbage : () => undefined;
  try {
    const store = await opened;
    const { body, kept } = takeBody(request, store);
    if (kept === 0) collect(); // the body's bytes and text: ~2× its size, no longer needed
    releaseMemory = collect;
    post({ id: request.id, type: 'written', body: await writeCalls(store, request.job, body) });
  } catch (err) {
    post({ id: request.id, type: 'failed', answer: answerOf(err) });
  } finally {
    releaseMemory = () => undefined;
    collect(); // the parsed body and its serialised columns
  }
}

async function read(request: OffloadRequest & { type: 'read' }): Promise<void> {
  try {
    const store = await opened;
    const bytes = callBody(await callJson(store, request.projectId, request.callId));
    port?.postMessage({ id: request.id, type: 'call', bytes } satisfies OffloadReply, [bytes.buffer]);
    // The call's text (as large as the answer) is garbage now; a large one is collected at once.
    if (bytes.length >= GC_FROM_BYTES) collectGarbage();
  } catch (err) {
    post({ id: request.id, type: 'failed', answer: answerOf(err) });
  }
}

/**
 * A call's JSON text, or `null`: as the store's JSON lines give it when it has them (stored JSON spliced
 * in, never parsed to be serialised again), else `JSON.stringify` of `readCall`.
 */
async function callJson(store: TraceStore, projectId: string, callId: string): Promise<string> {
  if (!store.queryCallsJson) return JSON.stringify(await store.readCall(projectId, callId));
  const lines = store.queryCallsJson({ project_id: projectId, filter: { call_ids: [callId] }, limit: 1 });
  for await (const line of lines) return line;
  return 'null';
}

/** `{"call":<json>}` as UTF-8, written piece by piece (no concatenated string to flatten first). */
function callBody(json: string): Uint8Array<ArrayBuffer> {
  const prefix = '{"call":';
  const body = unpooledBuffer(prefix.length + Buffer.byteLength(json) + 1);
  let at = body.write(prefix);
  at += body.write(json, at);
  body.write('}', at);
  return new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length);
}

async function page(request: OffloadRequest & { type: 'page' }): Promise<void> {
  const { id, query } = request;
  active.add(id);
  try {
    const store = await opened;
    let lines: string[] = [];
    let chars = 0;
    for await (const line of store.queryCallsJson?.(query) ?? jsonTexts(store.queryCalls(query))) {
      if (cancelled.has(id)) return;
      lines.push(line);
      chars += line.length;
      if (chars >= BATCH_CHARS) {
        post({ id, type: 'lines', lines, done: false });
        lines = [];
        chars = 0;
      }
    }
    post({ id, type: 'lines', lines, done: true });
  } catch (err) {
    post({ id, type: 'failed', answer: answerOf(err) });
  } finally {
    active.delete(id);
    cancelled.delete(id);
  }
}

function answerOf(err: unknown): OffloadedAnswer {
  const { status, body } = errorToResponse(err);
  if (status !== 500) return { status, body };
  return { status, body, log: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

/**
 * The request's body parsed, its large call values kept as text when the store takes them so
 * (parse-keeping-raw.ts); the request no longer holds its bytes, so what is not kept can go.
 */
function takeBody(
  request: OffloadRequest & { type: 'write' },
  store: TraceStore,
): { body: Record<string, unknown>; kept: number } {
  const { bytes } = request;
  request.bytes = EMPTY;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return store.storesRawJson ? parseCountingKept(buffer) : { body: parseJsonObject(buffer), kept: 0 };
}
