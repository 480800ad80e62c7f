import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { ValidationError } from '../shared/errors.js';
import { HttpError } from './http-error.js';
import { exposedGc } from './offload/exposed-gc.js';
import { unpooledBuffer } from './unpooled-buffer.js';

const DECODERS = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
} as const;
type Encoding = keyof typeof DECODERS;
const isEncoding = (e: string): e is Encoding => Object.hasOwn(DECODERS, e);

/**
 * Reads a request body into memory, at most `maxBytes` of it, decompressing `Content-Encoding: gzip`
 * or `br` (brotli, what weft's SDK sends) with the same cap on the output (a small bomb cannot inflate
 * past it). Over the cap: 413.
 * `incoming`, the Node request under `request` when there is one (`c.env.incoming`), is read instead of
 * `request.body`: the web stream over it copies every chunk (to detach it from Node's buffer pool),
 * which for a 30 MiB body was 30 MiB more garbage per request.
 */
export async function readBody(
  request: Request,
  maxBytes: number,
  incoming?: IncomingMessage,
): Promise<Buffer> {
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && !isEncoding(encoding)) {
    throw new HttpError(
      415,
      `unsupported Content-Encoding ${JSON.stringify(encoding)}: use br, gzip or none`,
    );
  }
  const raw = await readCapped(request, maxBytes, incoming);
  if (encoding === 'identity') return raw;
  try {
    return await DECODERS[encoding](raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, `decompressed request body exceeds ${formatBytes(maxBytes)}`);
    }
    throw new ValidationError(
      'body',
      `invalid ${encoding === 'br' ? 'brotli' : 'gzip'} data (${(err as Error).message})`,
    );
  }
}

/** Reads and parses a JSON body that must be an object. Malformed JSON is a 400 naming the problem. */
export async function readJsonObject(
  request: Request,
  maxBytes: number,
  incoming?: IncomingMessage,
): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBody(request, maxBytes, incoming));
}

/** Parses a request body that must be a JSON object. Malformed JSON is a 400 naming the problem. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  if (bytes.length === 0) throw new ValidationError('body', 'request body is empty; expected a JSON object');
  return parseJsonObjectText(bytes.toString('utf8'));
}

/** {@link parseJsonObject} of a body already decoded to text. */
export function parseJsonObjectText(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError('body', `malformed JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      'body',
      `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

async function readCapped(request: Request, maxBytes: number, incoming?: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const source: AsyncIterable<Uint8Array> | null = incoming ?? request.body;
  if (!source) return Buffer.alloc(0);
  // With a declared length, the chunks are copied into one buffer of that size as they arrive: a large
  // body is held once, not as chunks plus their concatenation. Leaving the loop early (a throw) cancels
  // the stream, as the reader's `cancel()` did.
  const whole = Number.isSafeInteger(declared) && declared > 0 ? unpooledBuffer(declared) : undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const value of source) {
    if (total + value.byteLength > maxBytes) throw tooLarge(maxBytes);
    if (!whole) chunks.push(value);
    else if (total + value.byteLength <= whole.length) whole.set(value, total);
    else throw new ValidationError('body', `longer than its Content-Length (${declared} bytes)`);
    if (whole && whole.length >= LARGE_BODY_BYTES && crossesStep(total, value.byteLength)) collectChunks();
    total += value.byteLength;
  }
  if (!whole) return Buffer.concat(chunks, total);
  return total === whole.length ? whole : whole.subarray(0, total);
}

/**
 * Bodies from this size on get a scavenge each `LARGE_BODY_BYTES` read: the socket's chunks, once copied, are garbage that no young
 * generation pressure collects (their bytes are outside the heap), so a 30 MiB body left ~30 MiB of
 * them behind until a later collection; with the scavenges, ~13 MiB (bench: RSS of reading 20 such
 * bodies, 61 -> 43 MiB over idle). A scavenge of the event loop's young generation takes about a
 * millisecond.
 */
const LARGE_BODY_BYTES = 4 * 1024 * 1024;
const collectChunks = (
  (gc) => () =>
    gc({ type: 'minor' })
)(exposedGc());

/** True when reading `n` more bytes after `total` crosses a multiple of `LARGE_BODY_BYTES`. */
function crossesStep(total: number, n: number): boolean {
  return Math.floor((total + n) / LARGE_BODY_BYTES) > Math.floor(total / LARGE_BODY_BYTES);
}
function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `request body exceeds ${formatBytes(maxBytes)}`);
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
