import { promisify } from 'node:util';
import {
  brotliCompress as brotliCb,
  brotliCompressSync,
  gzip as gzipCb,
  gzipSync,
  constants as zlib,
} from 'node:zlib';

const brotliAsync = promisify(brotliCb);
const gzipAsync = promisify(gzipCb);

/**
 * How a request body is compressed (its `Content-Encoding`). Brotli first: at quality 1, on batches
 * of call records, it took ~0.65 ms of CPU per 500 KB body where gzip at level 1 took ~1.6 ms, and
 * its output was ~13 % smaller (13.7x against 12.0x; `bench/RESULTS.md`, #14 seventh pass). The
 * compression was the largest single cost of sending a call. gzip is for a server that answers 415 to
 * brotli (see HttpTransport).
 */
export type BodyEncoding = 'br' | 'gzip';

/**
 * Output chunk of the compressor, for a body of `rawBytes` when the last body compressed `lastRatio`
 * times. Each chunk of the async compressor is a round trip between the thread pool and the main
 * thread; with zlib's default (16 KiB) a 1 000-record batch (~35 KiB compressed) took three, and one
 * chunk is ~25 % less CPU per batch (measured 1.4 -> 1.1 ms on a 400 KB body with gzip).
 * But each compression allocates its chunk, garbage once the body is sent and freed only by the next
 * GC: a 50-batch flush after a burst holds them all at its end. So the chunk is the size the body is
 * expected to compress to (batches of one client compress alike), with a quarter more as margin,
 * rounded up to 4 KiB: one chunk, little of it unused. A body that compresses worse gets more chunks,
 * joined (correct, a copy more).
 */
export function compressedChunkBytes(rawBytes: number, lastRatio: number): number {
  const KiB4 = 4 * 1024;
  const expected = (1.25 * rawBytes) / Math.max(lastRatio, 1);
  return Math.min(256 * 1024, Math.max(4 * KiB4, Math.ceil(expected / KiB4) * KiB4));
}

/**
 * Bodies up to this size are compressed synchronously, on the turn of the event loop that sends them
 * (a batching-loop turn, never a traced call's stack; or a `flush()` call, which sends). The async
 * compressor costs more CPU per body than the compression itself at these sizes: measured on a 400 KB
 * batch of 1 000 records with gzip at level 1, 0.60-0.75 ms (all threads) async against 0.48-0.55 ms
 * sync, the difference being the stream's round trips to the thread pool. A larger body (huge records,
 * `maxBatchBytes` up to 10 MiB) goes to the thread pool so as not to hold the event loop long.
 */
const SYNC_MAX_BYTES = 1024 * 1024;

/**
 * Brotli's window, 2^16 = 64 KiB. At quality 1 the encoder works in blocks of the window's size and
 * its hash table grows with the block, up to 512 KiB at the default window (4 MiB): a table that
 * large missed the cache between the SDK's bodies, and a 340 KB batch of 1 000 records took 0.71-0.79
 * ms of the client's time where a 64 KiB window took 0.45-0.47 ms, for 4 % more bytes (13.2x against
 * 13.7x; measured in the process of a 50 000-call burst, bench/RESULTS.md #14 eighth pass). A record
 * repeats what the records just before it hold (names, keys, a system prompt), well within 64 KiB.
 */
const BROTLI_WINDOW_BITS = 16;

/**
 * `raw` compressed as `encoding`: brotli at quality 1 with a 64 KiB window (told the body's size),
 * gzip at level 1 with memLevel 9.
 */
export function compressBody(
  raw: Buffer,
  encoding: BodyEncoding,
  lastRatio: number,
): Buffer | Promise<Buffer> {
  const chunkSize = compressedChunkBytes(raw.length, lastRatio);
  const sync = raw.length <= SYNC_MAX_BYTES;
  if (encoding === 'br') {
    const options = {
      chunkSize,
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 1,
        [zlib.BROTLI_PARAM_LGWIN]: BROTLI_WINDOW_BITS,
        [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    };
    return sync ? brotliCompressSync(raw, options) : brotliAsync(raw, options);
  }
  const options = { level: zlib.Z_BEST_SPEED, memLevel: 9, chunkSize };
  return sync ? gzipSync(raw, options) : gzipAsync(raw, options);
}
