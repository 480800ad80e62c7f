/** The root of weft's error hierarchy. `code` is stable and machine-readable. */
export class WeftError extends Error {
  readonly code: string;
  constructor(message: string, code = 'WEFT_ERROR', options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option passed to weft (SDK or server) has an invalid value. */
export class InvalidOptionError extends WeftError {
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, expected: string) {
    super(`Invalid option ${option}=${describeValue(value)}: expected ${expected}`, 'INVALID_OPTION');
    this.option = option;
    this.value = value;
  }
}

/** A request to the trace server failed. `status` is the HTTP status (0 for a network error). */
export class TransportError extends WeftError {
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    fields: { status: number; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, 'TRANSPORT_ERROR', { cause: fields.cause });
    this.status = fields.status;
    this.retryable = fields.retryable;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** A request body failed validation. `path` names the offending field, e.g. `batch[3].started_at`. */
export class ValidationError extends WeftError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`, 'VALIDATION_ERROR');
    this.path = path;
  }
}

/** A caller is not allowed to do what it asked (missing or wrong API key, other project). */
export class AuthError extends WeftError {
  readonly status: 401 | 403;
  constructor(message: string, status: 401 | 403) {
    super(message, 'AUTH_ERROR');
    this.status = status;
  }
}

/** Why a store operation failed. */
export type StoreErrorCode =
  'STORE_OPEN_FAILED' | 'STORE_SCHEMA_TOO_NEW' | 'STORE_CLOSED' | 'STORE_READ_FAILED' | 'STORE_WRITE_FAILED';

/**
 * A trace store (SQLite, ClickHouse) failed: it could not open, its schema is newer than this weft,
 * it is closed (shutting down), or a read or write failed. `code` says which; callers match on it.
 */
export class StoreError extends WeftError {
  declare readonly code: StoreErrorCode;
  constructor(message: string, code: StoreErrorCode, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/** Something looked up does not exist. */
export class NotFoundError extends WeftError {
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
