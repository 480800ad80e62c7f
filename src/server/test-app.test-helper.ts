import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompleteCall, EndedCall, StartedCall } from '../shared/call-types.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { createApp } from './app.js';
import type { AppOptions } from './app.js';

/** Test fixture: the app on a real SQLite file in a fresh temp dir. Call `close()` in `after`. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: SqliteStore;
  dir: string;
  /** POSTs `body` as JSON (or sends it as is when it is a string or bytes). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Creates a key for `projectId` and returns `{ authorization: 'Bearer <key>' }`. */
  keyFor(projectId: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export function createTestApp(options: Partial<AppOptions> = {}): TestApp {
  const dir = mkdtempSync(join(tmpdir(), 'weft-server-test-'));
  const store = SqliteStore.open(join(dir, 'weft.db'));
  const app = createApp({ log: () => undefined, ...options, store });
  return {
    app,
    store,
    dir,
    async post(path, body, headers = {}) {
      const raw = typeof body === 'string' || body instanceof Uint8Array;
      return app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: raw ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body),
      });
    },
    async get(path, headers = {}) {
      return app.request(path, { headers });
    },
    async keyFor(projectId) {
      const key = generateApiKey();
      await store.createApiKey(projectId, hashApiKey(key));
      return { authorization: `Bearer ${key}` };
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PROJECT = 'acme/chatbot';

let seq = 0;
/** A unique id for this process (tests share one store per file). */
export function uid(prefix = 'c'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}`;
}

export function startedCall(overrides: Partial<StartedCall> = {}): StartedCall {
  const id = overrides.id ?? uid();
  return {
    project_id: PROJECT,
    id,
    trace_id: overrides.trace_id ?? `t-${id}`,
    parent_id: null,
    op_name: 'chat',
    started_at: '2026-01-31T12:00:00.000Z',
    attributes: {},
    inputs: { question: 'hi' },
    ...overrides,
  };
}

export function endedCall(overrides: Partial<EndedCall> & { id: string }): EndedCall {
  return {
    project_id: PROJECT,
    ended_at: '2026-01-31T12:00:01.500Z',
    output: { answer: 'hello' },
    summary: {},
    ...overrides,
  };
}

export function completeCall(overrides: Partial<CompleteCall> = {}): CompleteCall {
  const start = startedCall(overrides);
  return { ...start, ...endedCall({ id: start.id }), ...overrides };
}
