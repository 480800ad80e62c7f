import { TransportError } from '../../../shared/errors.js';
import { readNdjson } from '../../../shared/read-ndjson.js';
import { isRetryableStatus } from '../../../shared/retryable-status.js';
import { getApiKey } from './api-key-store.js';

/** Listeners told when the server answers 401: the UI then asks for an API key. */
const authListeners = new Set<(message: string) => void>();

export function onAuthRequired(listener: (message: string) => void): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

function headers(json: boolean): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (json) h['content-type'] = 'application/json';
  const key = getApiKey();
  if (key) h.authorization = `Bearer ${key}`;
  return h;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new TransportError(`cannot reach the weft server (${String(err)})`, {
      status: 0,
      retryable: true,
      cause: err,
    });
  }
  if (res.ok) return res;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) for (const listener of authListeners) listener(message);
  throw new TransportError(message, { status: res.status, retryable: isRetryableStatus(res.status) });
}

/** GET a JSON answer from the server (same origin). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await send(path, { headers: headers(false), signal });
  return (await res.json()) as T;
}

/** POST a JSON body and read a JSON answer. */
export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const res = await send(path, {
    method: 'POST',
    headers: headers(true),
    body: JSON.stringify(body),
    signal,
  });
  return (await res.json()) as T;
}

/** POST a JSON body and read the NDJSON answer line by line (`/calls/stream_query`). */
export async function* postNdjson<T>(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<T> {
  const res = await send(path, {
    method: 'POST',
    headers: headers(true),
    body: JSON.stringify(body),
    signal,
  });
  if (res.body) yield* readNdjson<T>(res.body);
}
