import { Hono } from 'hono';
import { MIN_TRUNCATE_BYTES } from '../shared/api-types.js';
import { InvalidOptionError } from '../shared/errors.js';
import type { TraceStore } from '../store/trace-store.js';
import type { AppEnv, RouteDeps } from './app-env.js';
import { authMiddleware, Authenticator } from './auth.js';
import type { AuthOptions } from './auth.js';
import { DEFAULTS } from './defaults.js';
import { handleError } from './error-response.js';
import { methodNotAllowedOrNotFound } from './not-found.js';
import { otlpRoutes } from './otlp/otlp-routes.js';
import { packageVersion } from './package-version.js';
import { callsReadRoutes } from './routes/calls-read.js';
import { callsUpdateRoutes } from './routes/calls-update.js';
import { callsWriteRoutes } from './routes/calls-write.js';
import { feedbackRoutes } from './routes/feedback.js';
import { filesRoutes } from './routes/files.js';
import { infoRoutes, PUBLIC_PATHS } from './routes/info.js';
import { objectsRoutes } from './routes/objects.js';
import { opNamesRoutes } from './routes/op-names.js';
import { projectsRoutes } from './routes/projects.js';
import { tablesRoutes } from './routes/tables.js';
import { serverStatsRoutes } from './routes/server-stats.js';
import { staticUi } from './static-ui.js';
import type { StaticUiOptions } from './static-ui.js';
import { StreamLimiter } from './stream-limiter.js';
import { gatedWrites } from './offload/gated-writes.js';
import type { StoreOffload } from './offload/store-offload.js';

/** Caps and timeout of `/calls/stream_query` streams; each defaults to the `DEFAULTS` field of its name. */
export interface StreamOptions {
  maxStreams?: number;
  maxStreamsPerKey?: number;
  maxStreamsPerConnection?: number;
  streamIdleTimeoutMs?: number;
}

export interface AppOptions {
  store: TraceStore;
  /** Writes large call bodies in a worker thread (see {@link StoreOffload}); without it, all in place. */
  offload?: StoreOffload;
  auth?: AuthOptions;
  /** Defaults to `DEFAULTS.maxBodyBytes`. */
  maxBodyBytes?: number;
  /** Defaults to `DEFAULTS.streamChunkBytes`. */
  streamChunkBytes?: number;
  /** Defaults to `DEFAULTS.pageValueBytes` (at least 256). */
  pageValueBytes?: number;
  /** Defaults to `DEFAULTS.pageBytes`. */
  pageBytes?: number;
  /** Stream caps and idle timeout; see {@link StreamOptions}. */
  streams?: StreamOptions;
  /** Defaults to weft's package version. */
  version?: string;
  /** Where unexpected (500) errors are reported; defaults to stderr. */
  log?: (message: string) => void;
  /** The web UI's files; `false` serves no UI. Defaults to the built UI next to the server. */
  ui?: StaticUiOptions | false;
}

/**
 * The weft trace server as a Hono app: the Weave trace-server call API, objects, tables, files, feedback
 * and the UI's project listing, behind API-key auth. Every error answer is JSON `{ error, field? }`
 * (OTLP ingest, `/otel/v1/traces`, answers in its request's encoding: protobuf or JSON).
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const deps = resolveDeps(options);
  const app = new Hono<AppEnv>();
  const auth = authMiddleware(new Authenticator(options.store, options.auth));
  if (options.ui !== false) app.use('*', staticUi(options.ui)); // public files: before auth

  app.use('*', (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : auth(c, next)));
  for (const routes of [
    infoRoutes,
    callsWriteRoutes,
    callsReadRoutes,
    callsUpdateRoutes,
    feedbackRoutes,
    objectsRoutes,
    tablesRoutes,
    filesRoutes,
    projectsRoutes,
    opNamesRoutes,
    otlpRoutes,
    serverStatsRoutes,
  ]) {
    app.route('/', routes(deps));
  }
  app.notFound(methodNotAllowedOrNotFound(app));
  app.onError((err, c) => handleError(err, c, deps.log));
  return app;
}

function resolveDeps(options: AppOptions): RouteDeps {
  const anonymous = options.auth?.anonymous;
  if (anonymous !== undefined && !['local', 'anyone', 'nobody'].includes(anonymous)) {
    throw new InvalidOptionError('auth.anonymous', anonymous, '"local", "anyone" or "nobody"');
  }
  const streams = options.streams ?? {};
  const { offload } = options;
  return {
    // With a store worker on SQLite, the event loop's writes wait while the worker writes.
    store: offload?.exclusiveWrites ? gatedWrites(options.store, () => offload.idle()) : options.store,
    ...(offload === undefined ? {} : { offload }),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULTS.maxBodyBytes),
    streamChunkBytes: positiveInteger(
      'streamChunkBytes',
      options.streamChunkBytes ?? DEFAULTS.streamChunkBytes,
    ),
    streams: new StreamLimiter({
      maxStreams: positiveInteger('streams.maxStreams', streams.maxStreams ?? DEFAULTS.maxStreams),
      maxStreamsPerKey: positiveInteger(
        'streams.maxStreamsPerKey',
        streams.maxStreamsPerKey ?? DEFAULTS.maxStreamsPerKey,
      ),
      maxStreamsPerConnection: positiveInteger(
        'streams.maxStreamsPerConnection',
        streams.maxStreamsPerConnection ?? DEFAULTS.maxStreamsPerConnection,
      ),
      retryAfterSeconds: DEFAULTS.streamRetryAfterSeconds,
    }),
    streamIdleTimeoutMs: positiveInteger(
      'streams.streamIdleTimeoutMs',
      streams.streamIdleTimeoutMs ?? DEFAULTS.streamIdleTimeoutMs,
    ),
    streamTimeSliceMs: DEFAULTS.streamTimeSliceMs,
    queryPageSize: DEFAULTS.queryPageSize,
    maxQueryPageSize: DEFAULTS.maxQueryPageSize,
    pageValueBytes: Math.max(
      MIN_TRUNCATE_BYTES,
      positiveInteger('pageValueBytes', options.pageValueBytes ?? DEFAULTS.pageValueBytes),
    ),
    pageBytes: positiveInteger('pageBytes', options.pageBytes ?? DEFAULTS.pageBytes),
    version: options.version ?? packageVersion(),
    log: options.log ?? ((message) => console.error(message)),
  };
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new InvalidOptionError(option, value, 'a positive integer');
  return value;
}
