import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc()`: a full collection, or with `{ type: 'minor' }` a scavenge of the young generation. */
export type Gc = (options?: { type: 'major' | 'minor' }) => void;

/**
 * V8's `gc` function without `--expose-gc` for the whole process: the flag is switched on, one new
 * context is made (its global `gc` is taken) and the flag switched off again, so no other context (the
 * event loop's, other workers', user `vm` contexts) sees it. Where it cannot be had, a no-op.
 *
 * Used by the store worker between the steps of a large write (offload-worker.ts): a write allocates
 * in bursts of several times its body (bytes, text, parsed value, serialised columns), then the worker
 * sits idle; left to V8's heuristics, 20 writes of 30 MiB grew the process by ~570 MiB before a
 * collection (~200 MiB less at peak with these collections, bench/server-robustness.ts). And by
 * read-body.ts, which scavenges while a large body arrives.
 */
export function exposedGc(): Gc {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Gc) : () => undefined;
  } catch {
    return () => undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
