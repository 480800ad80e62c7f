import { readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { InvalidOptionError } from '../shared/errors.js';
import type { AppEnv } from './app-env.js';
import { UiFileCache } from './ui-file-cache.js';
import type { UiFileCacheStats } from './ui-file-cache.js';

/** Defaults of {@link staticUi}. */
export const DEFAULTS = {
  /**
   * Folder of the built web UI (`index.html`, `assets/`). Next to the compiled server: the build puts the
   * server in `dist/src/` and the UI in `dist/ui/`.
   * @default '<dist>/ui'
   */
  dir: fileURLToPath(new URL('../../ui/', import.meta.url)),
  /**
   * `Cache-Control` of files under `assets/`, whose names carry a content hash: they never change.
   * @default 'public, max-age=31536000, immutable'
   */
  assetCacheControl: 'public, max-age=31536000, immutable',
  /**
   * `Cache-Control` of `index.html` and other unhashed files: revalidated on every load, so a new build
   * shows at once.
   * @default 'no-cache'
   */
  pageCacheControl: 'no-cache',
  /**
   * Files at least this big are sent gzip-compressed to clients that accept it (compressed once, cached).
   * @default 1024
   */
  gzipMinBytes: 1024,
  /**
   * Most files of the UI held in memory at once (least recently used go first). The cache is keyed by
   * the file a request resolves to, so however a path is spelled it holds at most one entry per file.
   * @default 256
   */
  cacheMaxFiles: 256,
  /**
   * Most bytes (plain plus gzipped) held in the file cache at once. A file bigger than this is read on
   * each request and sent uncompressed.
   * @default 64 MiB
   */
  cacheMaxBytes: 64 * 1024 * 1024,
};

export interface StaticUiOptions {
  /** See `DEFAULTS.dir`. */
  dir?: string;
  /** See `DEFAULTS.cacheMaxFiles`. */
  cacheMaxFiles?: number;
  /** See `DEFAULTS.cacheMaxBytes`. */
  cacheMaxBytes?: number;
}

/** The static UI middleware, with a look at its file cache (for tests and diagnostics). */
export type StaticUiHandler = MiddlewareHandler<AppEnv> & { cacheStats(): UiFileCacheStats };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

/**
 * The page's own resources only: scripts, styles and data come from this server, nothing from a CDN.
 * React sets styles through the DOM (allowed); `'unsafe-inline'` styles cover Vite's CSS injection.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/** Client-side routes of the single-page app: answered with `index.html` (the app routes in the browser). */
function isClientRoute(path: string): boolean {
  return path === '/' || path === '/projects' || path.startsWith('/projects/');
}

interface CachedFile {
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer> | undefined;
  contentType: string;
  cacheControl: string;
  /** Bytes held: body plus gzipped. */
  byteLength: number;
}

/**
 * Serves the built web UI on GET and HEAD: files of `dir` by path (`/assets/*` cached for a year, the
 * rest revalidated), `index.html` for the app's client routes (`/`, `/projects/...`), correct content
 * types, gzip when accepted. Every other request passes through to the API routes. It is mounted before
 * authentication: the UI's files are public; the data it shows comes from the API, which is not.
 */
export function staticUi(options: StaticUiOptions = {}): StaticUiHandler {
  const dir = options.dir ?? DEFAULTS.dir;
  if (typeof dir !== 'string' || dir === '') throw new InvalidOptionError('ui.dir', dir, 'a folder path');
  const maxEntries = options.cacheMaxFiles ?? DEFAULTS.cacheMaxFiles;
  if (!Number.isInteger(maxEntries) || maxEntries < 0)
    throw new InvalidOptionError('ui.cacheMaxFiles', maxEntries, 'a non-negative integer');
  const maxBytes = options.cacheMaxBytes ?? DEFAULTS.cacheMaxBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 0)
    throw new InvalidOptionError('ui.cacheMaxBytes', maxBytes, 'a non-negative integer of bytes');
  const root = resolve(dir);
  const cache = new UiFileCache<CachedFile>({ maxEntries, maxBytes });

  const load = (requestPath: string): CachedFile | null => {
    const full = resolveUiPath(root, requestPath);
    if (full === null) return null;
    const cached = cache.get(full);
    if (cached) return cached;
    // Misses are not cached: a build finished after the server started shows up without a restart.
    const file = readUiFile(root, full, maxBytes);
    if (file) cache.set(full, file);
    return file;
  };

  const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const path = c.req.path;
    let file = path !== '/' && !path.endsWith('/') ? load(path.slice(1)) : null;
    if (!file && isClientRoute(path)) {
      file = load('index.html');
      if (!file) {
        return c.text('weft: the web UI is not built here. Run `npm run build` (it writes dist/ui/).', 503);
      }
    }
    if (!file) return next();
    const acceptsGzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const body = acceptsGzip && file.gzipped ? file.gzipped : file.body;
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'cache-control': file.cacheControl,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (body === file.gzipped) headers['content-encoding'] = 'gzip';
    if (file.contentType.startsWith('text/html'))
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    headers['content-length'] = String(body.byteLength);
    return method === 'HEAD' ? c.body(null, 200, headers) : c.body(body, 200, headers);
  };
  return Object.assign(handler, { cacheStats: () => cache.stats() });
}

/**
 * The absolute path `relative` (a request path without its leading `/`, still URL-encoded) names under
 * `root`, or null when it cannot be decoded or resolves outside `root`. Every spelling of one file
 * (`assets//x.js`, `a%2f..%2fassets/x.js`, ...) gives the same path.
 */
export function resolveUiPath(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(join(root, decoded));
  return full.startsWith(root + sep) ? full : null;
}

/**
 * Reads the file at `full` (inside `root`), or null when it is missing or a folder. It is gzipped once
 * here when compressible, big enough, and small enough to be cached (`maxBytes`).
 */
function readUiFile(root: string, full: string, maxBytes: number): CachedFile | null {
  try {
    if (!statSync(full).isFile()) return null;
  } catch {
    return null;
  }
  const ext = extname(full).toLowerCase();
  const body = new Uint8Array(readFileSync(full));
  const hashed = relative(root, full).startsWith(`assets${sep}`);
  const compress =
    COMPRESSIBLE.has(ext) && body.byteLength >= DEFAULTS.gzipMinBytes && body.byteLength <= maxBytes;
  const gzipped = compress ? new Uint8Array(gzipSync(body)) : undefined;
  return {
    body,
    gzipped,
    contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    cacheControl: hashed ? DEFAULTS.assetCacheControl : DEFAULTS.pageCacheControl,
    byteLength: body.byteLength + (gzipped?.byteLength ?? 0),
  };
}
