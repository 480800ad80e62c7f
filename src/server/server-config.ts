import { InvalidOptionError } from '../shared/errors.js';
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
 * The one place where weft reads its environment: `WEFT_HOST`, `WEFT_PORT`, `WEFT_DB`.
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
