import type { ReceiverStats } from './receiver.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { onStopRequest } from './child-process.js';

/**
 * Child-process entry of the bench receiver: a minimal real HTTP server that accepts what the SDK posts
 * (it decompresses and parses every body, as a server would, and answers like weft's server) and counts
 * requests, items and bytes without keeping them. Counters are read on a separate control port, so
 * control traffic never shares a connection with (or inflates the byte counts of) the SDK's requests.
 */

/** What the receiver counts (the control port adds `socketBytes`, see ReceiverStats). */
type Counters = Omit<ReceiverStats, 'socketBytes'>;

const zero = (): Counters => ({
  requests: 0,
  completeRequests: 0,
  startRequests: 0,
  endRequests: 0,
  otherRequests: 0,
  items: 0,
  bodyBytes: 0,
  rawBytes: 0,
  compressedRequests: 0,
});

let counters = zero();
let lastCompleteBody: Buffer | undefined;
const openSockets = new Set<Socket>();
let closedSocketBytes = 0;
let socketBytesAtReset = 0;

function socketBytes(): number {
  let n = closedSocketBytes;
  for (const s of openSockets) n += s.bytesRead;
  return n;
}

async function handleData(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const wire = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  const compressed = encoding === 'br' || encoding === 'gzip';
  const raw = encoding === 'br' ? brotliDecompressSync(wire) : encoding === 'gzip' ? gunzipSync(wire) : wire;
  const body = JSON.parse(raw.toString('utf8')) as {
    batch?: unknown[];
    start?: { id?: string; trace_id?: string };
  };
  const path = req.url ?? '';
  counters.requests++;
  counters.bodyBytes += wire.length;
  counters.rawBytes += raw.length;
  if (compressed) counters.compressedRequests++;
  let answer = '{}';
  if (path.endsWith('/calls/complete')) {
    counters.completeRequests++;
    counters.items += body.batch?.length ?? 0;
    lastCompleteBody = raw;
  } else if (path.endsWith('/call/start')) {
    counters.startRequests++;
    counters.items++;
    answer = JSON.stringify({ id: body.start?.id, trace_id: body.start?.trace_id });
  } else if (path.endsWith('/call/end')) {
    counters.endRequests++;
    counters.items++;
  } else {
    counters.otherRequests++;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(answer);
}

function handleControl(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...counters, socketBytes: socketBytes() - socketBytesAtReset }));
  } else if (req.url === '/reset') {
    counters = zero();
    socketBytesAtReset = socketBytes();
    res.writeHead(200).end('{}');
  } else if (req.url === '/last-complete-body') {
    res.writeHead(lastCompleteBody ? 200 : 404, { 'content-type': 'application/json' });
    res.end(lastCompleteBody ?? '');
  } else {
    res.writeHead(404).end();
  }
}

const data = createServer((req, res) => {
  handleData(req, res).catch((err: unknown) => {
    res.writeHead(500).end(JSON.stringify({ error: String(err) }));
  });
});
data.keepAliveTimeout = 60_000;
data.on('connection', (s: Socket) => {
  openSockets.add(s);
  s.on('close', () => {
    openSockets.delete(s);
    closedSocketBytes += s.bytesRead;
  });
});
const control = createServer(handleControl);

await Promise.all([
  new Promise<void>((resolve) => data.listen(0, '127.0.0.1', resolve)),
  new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve)),
]);
const port = (s: typeof data) => (s.address() as AddressInfo).port;
process.send?.({
  ready: { url: `http://127.0.0.1:${port(data)}`, controlUrl: `http://127.0.0.1:${port(control)}` },
});
onStopRequest(async () => {
  data.closeAllConnections();
  control.closeAllConnections();
  data.close();
  control.close();
});
