import type { MiddlewareHandler } from 'hono';
import { AuthError } from '../shared/errors.js';
import type { TraceStore } from '../store/trace-store.js';
import { hashApiKey, keyHashesEqual } from './api-key.js';
import type { AppEnv } from './app-env.js';
import { isLoopbackHost } from './loopback.js';

/** Who is calling: anyone (the store holds no keys) or the holder of a key scoped to one project. */
export type Principal = { kind: 'anonymous' } | { kind: 'key'; keyId: string; projectId: string };

/**
 * Who may call without an API key while the store holds none.
 * - `local`: requests addressed to a loopback host name (so DNS rebinding cannot reach the server);
 * - `anyone`: every request (`weft serve --insecure`);
 * - `nobody`: keyless requests are refused.
 * In the first two, browser requests from another origin are refused too (no cross-site writes).
 * Once the store holds a key, every request needs one.
 */
export type AnonymousAccess = 'local' | 'anyone' | 'nobody';

export interface AuthOptions {
  anonymous?: AnonymousAccess;
}

/** Resolves the caller of a request from `Authorization: Bearer <key>` or Basic `api:<key>`. */
export class Authenticator {
  private readonly store: TraceStore;
  private readonly anonymous: AnonymousAccess;
  /** Keys cannot be deleted through the store, so once one exists, keys are required for good. */
  private keysExist = false;

  constructor(store: TraceStore, options: AuthOptions = {}) {
    this.store = store;
    this.anonymous = options.anonymous ?? 'local';
  }

  async authenticate(request: Request): Promise<Principal> {
    if (!this.keysExist) this.keysExist = await this.store.hasApiKeys();
    if (!this.keysExist) return this.anonymousPrincipal(request);
    const key = readCredentials(request.headers.get('authorization'));
    if (key === undefined) {
      throw new AuthError(
        'missing API key: send "Authorization: Bearer <key>" (create one with `weft keys create`)',
        401,
      );
    }
    const hash = hashApiKey(key);
    const record = await this.store.findApiKey(hash);
    if (!record || !keyHashesEqual(record.key_hash, hash)) throw new AuthError('unknown API key', 401);
    return { kind: 'key', keyId: record.id, projectId: record.project_id };
  }

  private anonymousPrincipal(request: Request): Principal {
    if (this.anonymous === 'nobody') {
      throw new AuthError(
        'this server requires an API key, and none has been created (`weft keys create`)',
        401,
      );
    }
    const url = new URL(request.url);
    if (this.anonymous === 'local' && !isLoopbackHost(url.hostname)) {
      throw new AuthError(
        `requests without an API key must be addressed to a loopback host, not ${url.hostname}`,
        403,
      );
    }
    const origin = request.headers.get('origin');
    if (origin !== null && origin !== url.origin) {
      throw new AuthError(`cross-origin request from ${origin} refused: this server has no API keys`, 403);
    }
    return { kind: 'anonymous' };
  }
}

/** The key in an `Authorization` header, or undefined when there is none. Malformed headers are 401. */
export function readCredentials(header: string | null): string | undefined {
  if (header === null || header.trim() === '') return undefined;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer' && value !== '') return value;
  if (scheme === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AuthError('malformed Basic credentials', 401);
    if (decoded.slice(0, colon) !== 'api')
      throw new AuthError('Basic auth user must be "api" (password: the API key)', 401);
    const key = decoded.slice(colon + 1);
    if (key === '') throw new AuthError('empty API key in Basic credentials', 401);
    return key;
  }
  throw new AuthError('unsupported Authorization header: use "Bearer <key>" or Basic with user "api"', 401);
}

/** 403 unless the caller may touch `projectId`. `field` names where the project came from. */
export function authorizeProject(principal: Principal, projectId: string, field: string): void {
  if (principal.kind === 'key' && principal.projectId !== projectId) {
    throw new AuthError(
      `the API key is scoped to project ${principal.projectId} and cannot access project ${projectId} (${field})`,
      403,
    );
  }
}

/** Whether the caller may see `projectId` (for listings). */
export function canAccessProject(principal: Principal, projectId: string): boolean {
  return principal.kind === 'anonymous' || principal.projectId === projectId;
}

/** Middleware that resolves the caller and leaves it on the context as `principal`. */
export function authMiddleware(authenticator: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('principal', await authenticator.authenticate(c.req.raw));
    await next();
  };
}
