import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * OpenTelemetry context propagation over AsyncLocalStorage, for the baseline in sdk-overhead.ts.
 *
 * `@opentelemetry/context-async-hooks` (whose `AsyncLocalStorageContextManager` is what a Node app
 * would register) is not installed, and without a context manager `startActiveSpan` does not
 * propagate the parent span across awaits. This is the same hot path as that class: `with()` is
 * `AsyncLocalStorage.run`, `active()` is `getStore() ?? ROOT_CONTEXT` (the upstream class also
 * patches EventEmitters in `bind()`, which the benchmark never calls).
 */
export class AlsContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const cb = thisArg === undefined ? fn : fn.bind(thisArg);
    return this.storage.run(context, cb as never, ...args) as ReturnType<F>;
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]): unknown =>
      this.with(context, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}
