import { WeftError } from '../shared/errors.js';

/**
 * An error answered with a specific HTTP status that none of the shared errors express
 * (413 body too large, 415 unsupported encoding, 405 wrong method, 429 too many open streams).
 * `retryAfterSeconds` is sent as `Retry-After`.
 */
export class HttpError extends WeftError {
  readonly status: 405 | 413 | 415 | 429;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: 405 | 413 | 415 | 429, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message, HTTP_ERROR_CODES[status]);
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const HTTP_ERROR_CODES = {
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
} as const;
