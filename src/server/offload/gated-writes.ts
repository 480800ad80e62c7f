import type { TraceStore } from '../../store/trace-store.js';

/** The TraceStore methods that write. */
const WRITES: ReadonlySet<PropertyKey> = new Set<keyof TraceStore>([
  'ingest',
  'deleteCalls',
  'updateCall',
  'createFeedback',
  'createObject',
  'createTable',
  'createFile',
  'createApiKey',
]);

/**
 * `store` whose writes first wait for `gate()`: on SQLite, while the store worker holds the database's
 * write lock (a 30 MiB call takes ~150 ms to insert), the event loop's writes wait here, on a promise,
 * rather than in SQLite's busy handler, which would block the event loop. Reads go straight through.
 */
export function gatedWrites(store: TraceStore, gate: () => Promise<void>): TraceStore {
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!WRITES.has(prop)) return method.bind(target);
      return async (...args: unknown[]) => {
        await gate();
        return method.apply(target, args);
      };
    },
  });
}
