import type { TraceStore } from '../store/trace-store.js';
import type { Principal } from './auth.js';

/** Hono environment of the weft app: what middleware leaves on the context for the routes. */
export interface AppEnv {
  Variables: {
    /** Who is calling, set by the auth middleware before any route runs. */
    principal: Principal;
  };
}

/** What every route group gets from `createApp`. */
export interface RouteDeps {
  store: TraceStore;
  /** See `DEFAULTS.maxBodyBytes`. */
  maxBodyBytes: number;
  /** See `DEFAULTS.streamChunkBytes`. */
  streamChunkBytes: number;
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
