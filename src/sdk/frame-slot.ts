import { executionAsyncResource, type AsyncLocalStorage } from 'node:async_hooks';

/** What Node 20's AsyncLocalStorage keeps on each instance (lib/async_local_storage.js). */
interface StoreInternals {
  kResourceStore?: unknown;
  enabled?: unknown;
}

/** `fn` called with `this` = `self` and `args`, with `store` as `als`'s store. */
type RunWithStore = <S, R>(
  als: AsyncLocalStorage<S>,
  store: S,
  fn: (...args: never[]) => R,
  self: unknown,
  args: readonly unknown[],
) => R;

/**
 * Runs `fn` with `this` and `args` so that `als.getStore()` is `store` inside it and in the async
 * work it starts: `als.run(store, ...)`, at less cost on the hot path of every traced call.
 *
 * Node 20's AsyncLocalStorage keeps its store as a property of the current async resource, under a
 * symbol kept in the instance's `kResourceStore` field, and its `run` reads the store twice (to skip
 * a run into the same store), gathers its rest arguments into an array and looks up the resource
 * again. Written directly, the slot is set and restored around the call, exactly as `run` does it,
 * with one lookup (measured ~0.1 µs less per call; bench/RESULTS.md, #14 eighth pass). Where the
 * instance has no such fields (another Node version's implementation) or is not enabled yet (its
 * first `run` enables it), `run` itself is used: the same behaviour. frame-slot.test.ts checks both.
 */
export const runWithStore: RunWithStore = (als, store, fn, self, args) => {
  const internals = als as unknown as StoreInternals;
  const key = internals.kResourceStore;
  if (typeof key === 'symbol' && internals.enabled === true) {
    const resource = executionAsyncResource() as Record<symbol, unknown>;
    const outer = resource[key];
    resource[key] = store;
    try {
      return Reflect.apply(fn, self, args);
    } finally {
      resource[key] = outer;
    }
  }
  return portableRunWithStore(als, store, fn, self, args);
};

/** The same through the public API. */
export const portableRunWithStore: RunWithStore = (als, store, fn, self, args) =>
  als.run(store, Reflect.apply, fn, self, args);
