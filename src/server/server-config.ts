import { InvalidOptionError } from '../shared/errors.js';
import { DEFAULTS as CLICKHOUSE_DEFAULTS } from '../store/clickhouse/clickhouse-store.js';
import { IDENTIFIER } from '../store/clickhouse/sql-literal.js';
import { DEFAULTS } from './defaults.js';

/** Settings of `weft serve` after flags, environment and defaults are merged. */
export interface ServerConfig {
  host: string;
  port: number;
  db: string;
  insecure: boolean;
}

/** Command-line flags as parsed (strings; validated here). */
export interface ServerFlags {
  host?: string;
  port?: string;
  db?: string;
  insecure?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The one place where weft reads its environment: `WEFT_HOST`, `WEFT_PORT`, `WEFT_DB` (and, in
 * {@link resolveStoreConfig}, `WEFT_STORE` and `WEFT_CLICKHOUSE_*`; in {@link resolveStreamConfig},
 * the stream caps).
 * Flags win over the environment, which wins over `DEFAULTS`. Bad values are InvalidOptionErrors
 * naming the flag or variable.
 */
export function resolveServerConfig(flags: ServerFlags, env: Env = process.env): ServerConfig {
  return {
    host: resolveHost(flags.host, env),
    port: resolvePort(flags.port, env),
    db: resolveDbPath(flags.db, env),
    insecure: flags.insecure ?? false,
  };
}

/** `--db`, else `WEFT_DB`, else `DEFAULTS.db` (shared by `weft serve` and `weft keys`). */
export function resolveDbPath(flag: string | undefined, env: Env = process.env): string {
  const [option, value] = pick('--db', flag, 'WEFT_DB', env);
  if (value === undefined) return DEFAULTS.db;
  if (value.trim() === '') throw new InvalidOptionError(option, value, 'a file path');
  return value;
}

function resolveHost(flag: string | undefined, env: Env): string {
  const [option, value] = pick('--host', flag, 'WEFT_HOST', env);
  if (value === undefined) return DEFAULTS.host;
  if (!/^[^\s/]+$/.test(value)) throw new InvalidOptionError(option, value, 'a host name or IP address');
  return value;
}

function resolvePort(flag: string | undefined, env: Env): number {
  const [option, value] = pick('--port', flag, 'WEFT_PORT', env);
  if (value === undefined) return DEFAULTS.port;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new InvalidOptionError(option, value, 'an integer from 0 to 65535');
  return port;
}

function pick(
  flagName: string,
  flag: string | undefined,
  envName: string,
  env: Env,
): [string, string | undefined] {
  if (flag !== undefined) return [flagName, flag];
  const value = env[envName];
  return value === undefined || value === '' ? [envName, undefined] : [envName, value];
}

/** Which store `weft serve` runs on, after flags, environment and defaults are merged. */
export interface StoreConfig {
  storeKind: 'sqlite' | 'clickhouse';
  /** Set when `storeKind` is `clickhouse`. */
  clickhouse?: { url: string; database: string; username?: string; password?: string };
}

/** The store flags of `weft serve` as parsed. */
export interface StoreFlags {
  store?: string;
  'clickhouse-url'?: string;
  'clickhouse-database'?: string;
  'clickhouse-user'?: string;
  'clickhouse-password'?: string;
}

/**
 * `--store` / `WEFT_STORE` (`sqlite`, the default, or `clickhouse`); for ClickHouse also
 * `--clickhouse-url` / `WEFT_CLICKHOUSE_URL`, `--clickhouse-database` / `WEFT_CLICKHOUSE_DATABASE`
 * (defaults: the ClickHouse store's DEFAULTS), `--clickhouse-user` / `WEFT_CLICKHOUSE_USER` and
 * `--clickhouse-password` / `WEFT_CLICKHOUSE_PASSWORD` (prefer the variable: flags show in `ps`).
 * The ClickHouse settings are read only when that store is chosen.
 */
export function resolveStoreConfig(flags: StoreFlags, env: Env = process.env): StoreConfig {
  const [storeOption, store] = pick('--store', flags.store, 'WEFT_STORE', env);
  if (store === undefined || store === 'sqlite') return { storeKind: 'sqlite' };
  if (store !== 'clickhouse') throw new InvalidOptionError(storeOption, store, 'sqlite or clickhouse');
  const [urlOption, url = CLICKHOUSE_DEFAULTS.url] = pick(
    '--clickhouse-url',
    flags['clickhouse-url'],
    'WEFT_CLICKHOUSE_URL',
    env,
  );
  if (!/^https?:\/\/[^\s/]+/.test(url))
    throw new InvalidOptionError(urlOption, url, 'an http:// or https:// URL');
  const [dbOption, database = CLICKHOUSE_DEFAULTS.database] = pick(
    '--clickhouse-database',
    flags['clickhouse-database'],
    'WEFT_CLICKHOUSE_DATABASE',
    env,
  );
  if (!IDENTIFIER.test(database)) {
    throw new InvalidOptionError(dbOption, database, 'letters, digits and _ (not starting with a digit)');
  }
  const [, username] = pick('--clickhouse-user', flags['clickhouse-user'], 'WEFT_CLICKHOUSE_USER', env);
  const [, password] = pick(
    '--clickhouse-password',
    flags['clickhouse-password'],
    'WEFT_CLICKHOUSE_PASSWORD',
    env,
  );
  return {
    storeKind: 'clickhouse',
    clickhouse: {
      url,
      database,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    },
  };
}

/** Environment variables of the `/calls/stream_query` caps, by the `DEFAULTS` field they override. */
const STREAM_ENV = {
  maxStreams: 'WEFT_MAX_STREAMS',
  maxStreamsPerKey: 'WEFT_MAX_STREAMS_PER_KEY',
  maxStreamsPerConnection: 'WEFT_MAX_STREAMS_PER_CONNECTION',
  streamIdleTimeoutMs: 'WEFT_STREAM_IDLE_TIMEOUT_MS',
} as const;

/**
 * The `/calls/stream_query` caps and idle timeout of `weft serve` set in the environment
 * (`WEFT_MAX_STREAMS`, `WEFT_MAX_STREAMS_PER_KEY`, `WEFT_MAX_STREAMS_PER_CONNECTION`,
 * `WEFT_STREAM_IDLE_TIMEOUT_MS`: positive integers); unset ones are left to `DEFAULTS`.
 */
export function resolveStreamConfig(
  env: Env = process.env,
): Partial<Record<keyof typeof STREAM_ENV, number>> {
  const out: Partial<Record<keyof typeof STREAM_ENV, number>> = {};
  for (const [field, name] of Object.entries(STREAM_ENV) as [keyof typeof STREAM_ENV, string][]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const n = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n > 0)) throw new InvalidOptionError(name, value, 'a positive integer');
    out[field] = n;
  }
  return out;
}
