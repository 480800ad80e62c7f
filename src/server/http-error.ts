import { WeftError } from '../shared/errors.js';

/**
 * An error answered with a specific HTTP status that none of the shared errors express
 * (413 body too large, 415 unsupported encoding, 405 wrong method).
 */
export class HttpError extends WeftError {
  readonly status: 405 | 413 | 415;
  constructor(status: 405 | 413 | 415, message: string) {
    super(message, HTTP_ERROR_CODES[status]);
    this.status = status;
  }
}

const HTTP_ERROR_CODES = {
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
} as const;
