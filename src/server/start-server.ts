import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { InvalidOptionError } from '../shared/errors.js';
import { openStore } from './open-store.js';
import type { TraceStore } from '../store/trace-store.js';
import { createApp } from './app.js';
import type { StreamOptions } from './app.js';
import type { AnonymousAccess } from './auth.js';
import { DEFAULTS } from './defaults.js';
import { resolveBindAddress } from './bind-address.js';
import { StoreOffload } from './offload/store-offload.js';
import { ServerStartError } from './server-start-error.js';

export interface StartServerOptions {
  /** Defaults to `DEFAULTS.host`. */
  host?: string;
  /** 0 picks a free port. Defaults to `DEFAULTS.port`. */
  port?: number;
  /** SQLite file, opened (and created) unless `store` is given. Defaults to `DEFAULTS.db`. */
  db?: string;
  /** Serve a store without API keys on a non-loopback host (anyone who can reach it can read and write). */
  insecure?: boolean;
  /** `sqlite` (default: opens `db`) or `clickhouse` (opens `clickhouse`). */
  storeKind?: 'sqlite' | 'clickhouse';
  /** ClickHouse connection, used when `storeKind` is `clickhouse` (defaults: the ClickHouse store's DEFAULTS). */
  clickhouse?: { url?: string; database?: string; username?: string; password?: string };
  /** Use this store instead of opening one; it is closed by `close()` all the same. */
  store?: TraceStore;
  /** Defaults to `DEFAULTS.maxBodyBytes`. */
  maxBodyBytes?: number;
  /** Defaults to `DEFAULTS.shutdownGraceMs`. */
  shutdownGraceMs?: number;
  /**
   * Call write bodies of at least this many bytes are written in the store worker (and, on SQLite,
   * `/calls/query` pages are read there: offload/store-offload.ts); `0` runs everything on the event
   * loop. Ignored when `store` is given (the worker opens its own connection).
   * Defaults to `DEFAULTS.offloadBodyBytes`.
   */
  offloadBodyBytes?: number;
  /** `/calls/stream_query` caps and idle timeout (defaults: the `DEFAULTS` fields of their names). */
  streams?: StreamOptions;
  /** Where unexpected errors are reported; defaults to stderr. */
  log?: (message: string) => void;
}

export interface RunningServer {
  /** `http://host:port` with the real port. */
  url: string;
  host: string;
  port: number;
  /** The host is loopback and resolved to loopback addresses only (keyless requests are then served). */
  loopback: boolean;
  store: TraceStore;
  /** Stops accepting connections, lets in-flight requests finish (up to the grace period), closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store and serves the weft app over HTTP. Refuses (ServerStartError `INSECURE_BIND`) to serve a
 * store without API keys on a non-loopback host unless `insecure`, and a loopback name (`x.localhost`)
 * that resolves to a non-loopback address unless `insecure`; it listens on the address the host resolved
 * to, so the name is not looked up again. Failures to listen or open the store
 * are ServerStartErrors naming the cause; the store is closed again when listening fails.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  const port = options.port ?? DEFAULTS.port;
  const db = options.db ?? DEFAULTS.db;
  const graceMs = options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs;
  if (typeof host !== 'string' || host.trim() === '')
    throw new InvalidOptionError('host', host, 'a host name or IP');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError('port', port, 'an integer from 0 to 65535');
  }
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    throw new InvalidOptionError('shutdownGraceMs', graceMs, 'a non-negative number of milliseconds');
  }

  const offloadBytes = options.offloadBodyBytes ?? DEFAULTS.offloadBodyBytes;
  if (!Number.isSafeInteger(offloadBytes) || offloadBytes < 0) {
    throw new InvalidOptionError('offloadBodyBytes', offloadBytes, 'a non-negative integer (0: never)');
  }
  const store = options.store ?? (await openStore(db, options));
  const offload =
    options.store === undefined && offloadBytes > 0 && !isMemoryDb(db, options.storeKind)
      ? new StoreOffload(
          {
            db,
            storeKind: options.storeKind,
            clickhouse: options.clickhouse,
            sqlite: { cacheSizeKiB: DEFAULTS.offloadCacheKiB },
          },
          offloadBytes,
          DEFAULTS.offloadQueueBytes,
        )
      : undefined;
  try {
    const bind = await resolveBindAddress(host, port, options.insecure ?? false);
    const loopback = bind.loopback;
    if (!loopback && !options.insecure && !(await store.hasApiKeys())) {
      throw new ServerStartError(
        `refusing to serve on ${host} without API keys: anyone who can reach it could read and write traces. ` +
          'Create a key with `weft keys create --project <entity/project>`, bind to 127.0.0.1, or pass --insecure.',
        'INSECURE_BIND',
      );
    }
    const anonymous: AnonymousAccess = loopback ? 'local' : options.insecure ? 'anyone' : 'nobody';
    const app = createApp({
      store,
      ...(offload === undefined ? {} : { offload }),
      auth: { anonymous },
      maxBodyBytes: options.maxBodyBytes,
      ...(options.streams === undefined ? {} : { streams: options.streams }),
      log: options.log,
    });
    const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server;
    await listen(server, host, bind.listenOn, port);
    const actualPort = (server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${urlHost}:${actualPort}`,
      host,
      port: actualPort,
      loopback,
      store,
      close: once(async () => {
        await closeServer(server, graceMs);
        await offload?.close();
        await store.close();
      }),
    };
  } catch (err) {
    await offload?.close();
    await store.close();
    throw err;
  }
}

/** An in-memory SQLite database: a worker's connection would open another, empty one. */
function isMemoryDb(db: string, storeKind: StartServerOptions['storeKind']): boolean {
  return storeKind !== 'clickhouse' && (db === ':memory:' || db === '' || db.startsWith('file::memory:'));
}

/** Listens on `address` (what `host` resolved to); errors name `host`. */
function listen(server: Server, host: string, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host}:${port}`;
      if (err.code === 'EADDRINUSE')
        reject(new ServerStartError(`port ${port} is already in use on ${host}`, 'PORT_IN_USE'));
      else if (err.code === 'EACCES')
        reject(new ServerStartError(`permission denied to listen on ${where}`, 'LISTEN_FAILED'));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
        reject(
          new ServerStartError(
            `cannot listen on ${where}: address ${host} is not available here`,
            'LISTEN_FAILED',
          ),
        );
      } else
        reject(
          new ServerStartError(`cannot listen on ${where}: ${err.message}`, 'LISTEN_FAILED', { cause: err }),
        );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, address);
  });
}

/** Stops accepting, closes idle keep-alive connections, waits for in-flight requests, cuts them after graceMs. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((err) => {
      clearTimeout(timer);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
