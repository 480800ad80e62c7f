import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AuthError,
  InvalidOptionError,
  NotFoundError,
  StoreError,
  ValidationError,
} from '../shared/errors.js';
import { HttpError } from './http-error.js';
import { OffloadedError } from './offload/offloaded-error.js';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  field?: string;
}

/** Maps an error to its status and JSON body; unknown errors are 500 without internals. */
export function errorToResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (err instanceof OffloadedError) {
    return { status: err.status as ContentfulStatusCode, body: err.body as ErrorBody };
  }
  if (err instanceof ValidationError) {
    return { status: 400, body: { error: err.message, field: err.path } };
  }
  if (err instanceof InvalidOptionError) {
    return { status: 400, body: { error: err.message, field: err.option } };
  }
  if (err instanceof AuthError) return { status: err.status, body: { error: err.message } };
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.message } };
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message } };
  if (err instanceof HTTPException && err.status !== 500) {
    return { status: err.status, body: { error: err.message || `HTTP ${err.status}` } };
  }
  if (err instanceof StoreError && err.code === 'STORE_CLOSED') {
    return { status: 503, body: { error: 'the server is shutting down' } };
  }
  return { status: 500, body: { error: 'internal server error' } };
}

/** Hono `onError` handler: answers JSON `{ error, field? }`, logs unexpected errors. */
export function handleError(
  err: unknown,
  c: Context,
  log: (message: string) => void = (m) => console.error(m),
): Response {
  const { status, body } = errorToResponse(err);
  if (err instanceof OffloadedError && err.log !== undefined) {
    log(`weft: ${c.req.method} ${c.req.path} failed in the store worker: ${err.log}`);
  } else if (status === 500) {
    log(
      `weft: ${c.req.method} ${c.req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="weft"');
  if (err instanceof HttpError && err.retryAfterSeconds !== undefined) {
    c.header('Retry-After', String(err.retryAfterSeconds));
  }
  return c.json(body, status);
}
