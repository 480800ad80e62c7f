import { brotliDecompressSync } from 'node:zlib';
import { TransportError } from '../shared/errors.js';
import { compressBody, type BodyEncoding } from './body-compression.js';
import { HttpPoster } from './http-post.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';

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
 * Posts JSON bodies to the trace server: compressed above a threshold (brotli; gzip from the first
 * 415 a brotli body gets, for servers and proxies that do not take it), a timeout per request, retries
 * with exponential backoff and full jitter on network errors, 408, 425, 429 (honouring Retry-After)
 * and 5xx, within a total deadline. A 413 is returned at once (the caller splits the batch).
 */
export class HttpTransport {
  readonly stats: TransportStats = { requests: 0, retries: 0, bytesSent: 0, bytesRaw: 0 };
  private readonly poster: HttpPoster;
  /** The request headers of a body sent as is, and of one per encoding. */
  private readonly headers: Readonly<Record<BodyEncoding | 'identity', Record<string, string>>>;
  /** The encoding of compressed bodies: brotli until the server refuses it. */
  private encoding: BodyEncoding = 'br';
  /** How many times the last body compressed (sizes the next one's output chunk). */
  private ratio = 8;

  constructor(private readonly options: TransportOptions) {
    this.poster = new HttpPoster(options.serverUrl.replace(/\/+$/, ''));
    const identity: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) identity.authorization = `Bearer ${options.apiKey}`;
    this.headers = {
      identity,
      br: { ...identity, 'content-encoding': 'br' },
      gzip: { ...identity, 'content-encoding': 'gzip' },
    };
  }

  /** The encoding compressed bodies are sent in now (brotli, or gzip once a server refused it). */
  get bodyEncoding(): BodyEncoding {
    return this.encoding;
  }

  /**
   * Whether a body of `bytes` is compressed. If so `post` reads the body only until it is compressed,
   * and says so (`rawRead`): the caller may reuse the buffer from then on.
   */
  compresses(bytes: number): boolean {
    return bytes > this.options.gzipThresholdBytes;
  }

  /**
   * Posts `json`, retrying transient failures until `deadlineMs` from now (0: one attempt only).
   * Resolves with the outcome; never rejects. A body that is compressed is read only until then:
   * `rawRead` is called at that point (before `post` returns, when the compression is synchronous),
   * so that a batch's raw body is reused by the next batch rather than held through the request.
   */
  async post(
    path: string,
    json: string | Buffer,
    deadlineMs = this.options.retryDeadlineMs,
    rawRead?: () => void,
  ): Promise<SendOutcome> {
    const raw = typeof json === 'string' ? Buffer.from(json) : json;
    const rawBytes = raw.length;
    let encoding = this.compresses(rawBytes) ? this.encoding : undefined;
    let body = encoding ? await this.compress(raw, encoding, rawRead) : raw;
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      // An attempt may not outlive the deadline (a hung server is an outage after the deadline, not
      // after the request timeout); a single-attempt send (deadline 0) gets the full request timeout.
      const left = deadline - Date.now();
      const timeoutMs =
        deadlineMs === 0
          ? this.options.requestTimeoutMs
          : Math.min(this.options.requestTimeoutMs, Math.max(left, 1000));
      const result = await this.once(path, body, this.headers[encoding ?? 'identity'], timeoutMs);
      if (attempt === 0) this.stats.bytesRaw += rawBytes;
      if (result === undefined) return { ok: true, attempts: attempt + 1 };
      if (result.status === 415 && encoding === 'br') {
        // The server (or a proxy before it) does not take brotli: gzip from now on, this body at once
        // (from its brotli bytes, as the raw ones may be reused by now: once per server at most).
        encoding = this.encoding = 'gzip';
        body = await this.compress(rawRead ? brotliDecompressSync(body) : raw, encoding, undefined);
        continue;
      }
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

  /** `raw` compressed; `rawRead` called once `raw` is read (synchronously if the compression is). */
  private compress(
    raw: Buffer,
    encoding: BodyEncoding,
    rawRead: (() => void) | undefined,
  ): Buffer | Promise<Buffer> {
    const done = (body: Buffer): Buffer => {
      this.ratio = raw.length / Math.max(body.length, 1);
      rawRead?.();
      return body;
    };
    const body = compressBody(raw, encoding, this.ratio);
    return body instanceof Promise ? body.then(done) : done(body);
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
