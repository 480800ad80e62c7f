import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceStore } from '../store/trace-store.js';
import type { Principal } from './auth.js';
import type { StreamLimiter } from './stream-limiter.js';
import type { StoreOffload } from './offload/store-offload.js';

/** Hono environment of the weft app: what middleware leaves on the context for the routes. */
export interface AppEnv {
  /** Set when served by `@hono/node-server` (`startServer`); absent under `app.request()` in tests. */
  Bindings: { incoming?: IncomingMessage; outgoing?: ServerResponse };
  Variables: {
    /** Who is calling, set by the auth middleware before any route runs. */
    principal: Principal;
  };
}

/** What every route group gets from `createApp`. */
export interface RouteDeps {
  store: TraceStore;
  /** Where large call writes run (`DEFAULTS.offloadBodyBytes`); absent: every write runs in place. */
  offload?: StoreOffload;
  /** See `DEFAULTS.maxBodyBytes`. */
  maxBodyBytes: number;
  /** See `DEFAULTS.streamChunkBytes`. */
  streamChunkBytes: number;
  /** Caps of open `/calls/stream_query` streams (see `DEFAULTS.maxStreams` and the next fields). */
  streams: StreamLimiter;
  /** See `DEFAULTS.streamIdleTimeoutMs`. */
  streamIdleTimeoutMs: number;
  /** See `DEFAULTS.streamTimeSliceMs`. */
  streamTimeSliceMs: number;
  /** See `DEFAULTS.queryPageSize`. */
  queryPageSize: number;
  /** See `DEFAULTS.maxQueryPageSize`. */
  maxQueryPageSize: number;
  /** See `DEFAULTS.pageValueBytes`. */
  pageValueBytes: number;
  /** See `DEFAULTS.pageBytes`. */
  pageBytes: number;
  /** weft's version, reported by `/server_info`. */
  version: string;
  /** Where unexpected errors are reported. */
  log: (message: string) => void;
}
