import { promisify } from 'node:util';
import { gzip as gzipCb, gzipSync, constants as zlibConstants } from 'node:zlib';
import { TransportError } from '../shared/errors.js';
import { HttpPoster } from './http-post.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

const gzip = promisify(gzipCb);

/**
 * Output chunk of the gzip, for a body of `rawBytes` when the last body compressed `lastRatio` times.
 * Each chunk of the async gzip is a round trip between the thread pool and the main thread; with
 * zlib's default (16 KiB) a 1 000-record batch (~35 KiB gzipped) took three, and one chunk is ~25 %
 * less CPU per batch (measured 1.4 -> 1.1 ms on a 400 KB body).
 * But each gzip allocates its chunk, garbage once the body is sent and freed only by the next GC: a
 * 50-batch flush after a burst holds them all at its end. So the chunk is the size the body is
 * expected to compress to (batches of one client compress alike), with a quarter more as margin,
 * rounded up to 4 KiB: one chunk, little of it unused. A body that compresses worse gets more chunks,
 * joined (correct, a copy more).
 */
export function gzipChunkBytes(rawBytes: number, lastRatio: number): number {
  const KiB4 = 4 * 1024;
  const expected = (1.25 * rawBytes) / Math.max(lastRatio, 1);
  return Math.min(256 * 1024, Math.max(4 * KiB4, Math.ceil(expected / KiB4) * KiB4));
}

/**
 * Bodies up to this size are gzipped synchronously, on the turn of the event loop that sends them (a
 * batching-loop turn, never a traced call's stack; or a `flush()` call, which sends). The async gzip
 * costs more CPU per body than the compression itself at these sizes: measured on a 400 KB batch of
 * 1 000 records at level 1, 0.60-0.75 ms (all threads) async against 0.48-0.55 ms sync, the
 * difference being the stream's round trips to the thread pool. 1 MiB takes ~1.5 ms at level 1; a
 * larger body (huge records, `maxBatchBytes` up to 10 MiB) goes to the thread pool so as not to hold
 * the event loop longer.
 */
const SYNC_GZIP_MAX_BYTES = 1024 * 1024;

/** gzip at level 1, memLevel 9 (a larger hash table: ~10 % less CPU on call records, same size). */
function gzipBody(raw: Buffer, lastRatio: number): Buffer | Promise<Buffer> {
  const options = {
    level: zlibConstants.Z_BEST_SPEED,
    memLevel: 9,
    chunkSize: gzipChunkBytes(raw.length, lastRatio),
  };
  return raw.length <= SYNC_GZIP_MAX_BYTES ? gzipSync(raw, options) : gzip(raw, options);
}

export interface TransportOptions {
  serverUrl: string;
  apiKey: string | undefined;
  gzipThresholdBytes: number;
  requestTimeoutMs: number;
  retryDeadlineMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The outcome of one logical send (after retries). */
export type SendOutcome =
  | { ok: true; attempts: number }
  | { ok: false; status: number; message: string; attempts: number; tooLarge: boolean; retryable: boolean };

export interface TransportStats {
  requests: number;
  retries: number;
  /** Bytes put on the wire (after compression). */
  bytesSent: number;
  /** Bytes of JSON before compression. */
  bytesRaw: number;
}

/**
 * Posts JSON bodies to the trace server: gzip above a threshold, a timeout per request, retries with
 * exponential backoff and full jitter on network errors, 408, 425, 429 (honouring Retry-After) and 5xx,
 * within a total deadline. A 413 is returned at once (the caller splits the batch).
 */
export class HttpTransport {
  readonly stats: TransportStats = { requests: 0, retries: 0, bytesSent: 0, bytesRaw: 0 };
  private readonly poster: HttpPoster;
  private readonly headers: Record<string, string>;
  /** How many times the last gzipped body compressed (sizes the next one's output chunk). */
  private gzipRatio = 8;

  constructor(private readonly options: TransportOptions) {
    this.poster = new HttpPoster(options.serverUrl.replace(/\/+$/, ''));
    this.headers = { 'content-type': 'application/json' };
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
  }

  /**
   * Whether a body of `bytes` is gzipped. If so `post` reads the body only until it is compressed
   * (before its first request): the caller may reuse the buffer once `post` resolves.
   */
  compresses(bytes: number): boolean {
    return bytes > this.options.gzipThresholdBytes;
  }

  /**
   * Posts `json`, retrying transient failures until `deadlineMs` from now (0: one attempt only).
   * Resolves with the outcome; never rejects.
   */
  async post(
    path: string,
    json: string | Buffer,
    deadlineMs = this.options.retryDeadlineMs,
  ): Promise<SendOutcome> {
    const raw = typeof json === 'string' ? Buffer.from(json) : json;
    let body: Buffer = raw;
    const headers = { ...this.headers };
    if (this.compresses(raw.length)) {
      body = await gzipBody(raw, this.gzipRatio);
      this.gzipRatio = raw.length / Math.max(body.length, 1);
      headers['content-encoding'] = 'gzip';
    }
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      // An attempt may not outlive the deadline (a hung server is an outage after the deadline, not
      // after the request timeout); a single-attempt send (deadline 0) gets the full request timeout.
      const left = deadline - Date.now();
      const timeoutMs =
        deadlineMs === 0
          ? this.options.requestTimeoutMs
          : Math.min(this.options.requestTimeoutMs, Math.max(left, 1000));
      const result = await this.once(path, body, headers, timeoutMs);
      if (attempt === 0) this.stats.bytesRaw += raw.length;
      if (result === undefined) return { ok: true, attempts: attempt + 1 };
      const retryable = isRetryableStatus(result.status);
      const delay = backoffDelay(
        attempt,
        this.options.retryBaseMs,
        this.options.retryMaxMs,
        result.retryAfterMs,
      );
      if (!retryable || Date.now() + delay > deadline) {
        return {
          ok: false,
          status: result.status,
          message: result.message,
          attempts: attempt + 1,
          tooLarge: result.status === 413,
          retryable,
        };
      }
      this.stats.retries++;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** One attempt: undefined on success, else what went wrong. */
  private async once(
    path: string,
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<TransportError | undefined> {
    this.stats.requests++;
    this.stats.bytesSent += body.length;
    try {
      const reply = await this.poster.post(path, body, headers, timeoutMs);
      if (reply.status >= 200 && reply.status < 300) return undefined;
      return new TransportError(`POST ${path} answered ${reply.status}: ${reply.text}`, {
        status: reply.status,
        retryable: isRetryableStatus(reply.status),
        retryAfterMs: parseRetryAfter(reply.retryAfter ?? null),
      });
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return new TransportError(`POST ${path} failed: ${reason}`, { status: 0, retryable: true, cause: err });
    }
  }
}
