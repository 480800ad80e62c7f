import type { Context } from 'hono';
import type { CallsQuery } from '../store/trace-store.js';
import type { AppEnv, RouteDeps } from './app-env.js';
import { ndjsonStream } from './ndjson-stream.js';

/**
 * The NDJSON answer of `/calls/stream_query` for an authorised query, within the stream caps: a place
 * is taken in the limiter (or a 429 HttpError thrown) and given back once the store stream is done
 * with, whether it ran out, failed, was cancelled by a client that left, or was aborted because the
 * client read nothing for `streamIdleTimeoutMs` (its connection is then destroyed).
 */
export async function callsStreamResponse(
  c: Context<AppEnv>,
  deps: RouteDeps,
  query: CallsQuery,
): Promise<Response> {
  const principal = c.var.principal;
  const key = principal.kind === 'key' ? `key:${principal.keyId}` : 'keyless';
  const socket = c.env?.incoming?.socket;
  const outgoing = c.env?.outgoing;
  const lease = deps.streams.acquire(key, socket);
  try {
    const json = deps.store.queryCallsJson?.(query);
    const stream = await ndjsonStream(json ?? deps.store.queryCalls(query), {
      chunkBytes: deps.streamChunkBytes,
      preEncoded: json !== undefined,
      idleTimeoutMs: deps.streamIdleTimeoutMs,
      timeSliceMs: deps.streamTimeSliceMs,
      onError: (err) => deps.log(`weft: /calls/stream_query failed mid-stream: ${String(err)}`),
      onClose: () => lease.release(),
      onIdle: () => {
        deps.streams.countIdleAbort();
        if (!outgoing) return false;
        outgoing.destroy();
        return true;
      },
    });
    return c.body(stream, 200, { 'content-type': 'application/jsonl; charset=utf-8' });
  } catch (err) {
    lease.release();
    throw err;
  }
}
