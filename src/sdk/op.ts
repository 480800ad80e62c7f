import { types } from 'node:util';
import { traceContext, type TraceFrame } from './call-context.js';
import type { OpMeta } from './call-recorder.js';
import { opNameMembers } from '../shared/record-writer.js';
import { flatten, oneByte } from '../shared/v8-fast-paths.js';
import { activeClient } from './client-registry.js';
import { paramNames, type ParamNames } from './param-names.js';
import type { ClientCore } from './client-core.js';
import type { RunningCall } from './running-call.js';
import { traceAsyncIterator, traceSyncIterator } from './traced-iterators.js';
import { runWithStore } from './frame-slot.js';

export interface OpOptions<I extends Record<string, unknown> = Record<string, unknown>> {
  /** The op name recorded on each call. @default the function's name, or `anonymous` */
  name?: string;
  /** Send the call's start at once, so it shows as running (evaluations, agent loops). @default false */
  eagerCallStart?: boolean;
  /** A display name for each call, or a function of the call's inputs that returns one. */
  callDisplayName?: string | ((inputs: I) => string);
  /** Transforms the inputs (keyed by parameter name) before they are recorded, e.g. to redact. */
  postprocessInputs?: (inputs: I) => Record<string, unknown>;
  /** Transforms the output before it is recorded. It never changes what the caller receives. */
  postprocessOutput?: (output: unknown) => unknown;
}

/** A traced function: the same signature and nature as the wrapped one, plus its op name. */
export type Op<F> = F & { readonly opName: string };

const GENERATOR_PROTO: unknown = Object.getPrototypeOf(function* () {});
const ASYNC_GENERATOR_PROTO: unknown = Object.getPrototypeOf(async function* () {});
const ASYNC_PROTO: unknown = Object.getPrototypeOf(async function () {});

/**
 * Wraps `fn` so every call is recorded. A sync function stays sync, an async one resolves to the same
 * value, generators yield the same items; `this` and thrown exceptions pass through unchanged.
 * Works before `init()` too (calls then run untraced).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function op<F extends (...args: any[]) => any>(fn: F, options: OpOptions = {}): Op<F> {
  if (typeof fn !== 'function') throw new TypeError(`op() expects a function, got ${typeof fn}`);
  const params = paramNames(fn);
  const name = options.name ?? (readName(fn) || 'anonymous');
  const meta: OpMeta = {
    name,
    eager: options.eagerCallStart === true,
    params,
    inputKeys:
      options.postprocessInputs || typeof options.callDisplayName === 'function'
        ? undefined
        : inputKeys(params),
    // Flat once here, so that each record's flatten copies it as one piece (v8-fast-paths.ts).
    fixedOpNameMembers:
      typeof options.callDisplayName === 'function'
        ? undefined
        : flatten(opNameMembers(name, options.callDisplayName, undefined, undefined)),
    callDisplayName: options.callDisplayName as OpMeta['callDisplayName'],
    postprocessInputs: options.postprocessInputs as OpMeta['postprocessInputs'],
    postprocessOutput: options.postprocessOutput,
  };
  const kind = functionKind(fn);
  // A native async function (not a bound one) always returns a fresh plain Promise: no check needed.
  const nativeAsync = kind === 'async' && types.isAsyncFunction(fn);

  const traced = function (this: unknown, ...args: unknown[]): unknown {
    const client = activeClient();
    if (!client) return fn.apply(this, args);
    const outer = traceContext.getStore();
    let call: RunningCall;
    try {
      call = client.recorder.begin(meta, args, outer);
    } catch (err) {
      client.reportInternalError(err);
      return fn.apply(this, args);
    }
    const frame: TraceFrame = call; // a running call is the frame its body runs in

    let result: unknown;
    try {
      result = runWithStore(traceContext, frame, fn, this, args);
    } catch (thrown) {
      endCall(client, meta, call, undefined, { thrown });
      throw thrown;
    }
    if (kind === 'gen' && isIterator(result)) {
      return traceSyncIterator(result as Generator, frame, client.maxIteratorItems, (items, e) =>
        endCall(client, meta, call, items, e),
      );
    }
    if (kind === 'asyncgen' && isIterator(result)) {
      return traceAsyncIterator(result as AsyncGenerator, frame, client.maxIteratorItems, (items, e) =>
        endCall(client, meta, call, items, e),
      );
    }
    // Every inspection of `result` below runs no user code: it may be a revoked Proxy, a Proxy whose
    // traps throw, or a thenable whose `then` has side effects (a query builder runs its query).
    if (!types.isPromise(result)) {
      // Not a native promise, so a custom thenable too is a value: its `then` is the caller's to call.
      endCall(client, meta, call, result, undefined);
      return result;
    }
    if (nativeAsync || isPlainPromise(result)) {
      // A derived promise keeps unhandled rejections unhandled, as without tracing.
      return result.then(
        (value: unknown) => {
          endCall(client, meta, call, value, undefined);
          return value;
        },
        (thrown: unknown) => {
          endCall(client, meta, call, undefined, { thrown });
          throw thrown;
        },
      );
    }
    // A native Promise subclass or a promise with own properties (e.g. an SDK's APIPromise with extra
    // methods) is returned as is, so its methods stay; the call ends when it settles.
    try {
      result.then(
        (value: unknown) => endCall(client, meta, call, value, undefined),
        (thrown: unknown) => endCall(client, meta, call, undefined, { thrown }),
      );
    } catch (thrown) {
      endCall(client, meta, call, undefined, { thrown });
    }
    return result;
  };
  Object.defineProperty(traced, 'opName', { value: meta.name, enumerable: true });
  try {
    Object.defineProperty(traced, 'name', { value: readName(fn), configurable: true });
    Object.defineProperty(traced, 'length', { value: fn.length, configurable: true });
  } catch {
    // an unreadable `length` (a Proxy): keep the wrapper's own
  }
  return traced as unknown as Op<F>;
}

/** Records a call's end; tracing never throws into user code. */
function endCall(
  client: ClientCore,
  meta: OpMeta,
  call: RunningCall,
  output: unknown,
  error: { thrown: unknown } | undefined,
): void {
  try {
    client.recorder.end(meta, call, output, error);
  } catch (err) {
    client.reportInternalError(err);
  }
}

/** `"name":` per parameter, when inputs can be written straight from the arguments (see OpMeta). */
function inputKeys(params: ParamNames): string[] | undefined {
  if (params.rest || new Set(params.names).size !== params.names.length) return undefined;
  return params.names.map((name) => oneByte(`${JSON.stringify(name)}:`));
}

/**
 * A native promise (checked by the caller: no Proxy, so nothing here runs user code) with nothing of
 * its own that a caller could miss on a derived promise.
 */
function isPlainPromise(p: Promise<unknown>): boolean {
  return Object.getPrototypeOf(p) === Promise.prototype && Object.keys(p).length === 0;
}

/** A generator op's result has `next()` (a guarded read: a `next` getter or trap may throw). */
function isIterator(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  try {
    return typeof (v as { next?: unknown }).next === 'function';
  } catch {
    return false;
  }
}

/** `fn.name`, or '' if reading it throws (a Proxy, a throwing getter). */
function readName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}

/**
 * How a function's result is traced, from its prototype (a bound function has its target's), read
 * without running user code: a Proxy, whose traps could claim any kind while its `apply` returns
 * anything, is `plain`, its result inspected when it returns.
 */
function functionKind(fn: unknown): 'gen' | 'asyncgen' | 'async' | 'plain' {
  if (types.isProxy(fn)) return 'plain';
  const proto: unknown = Object.getPrototypeOf(fn);
  if (proto === GENERATOR_PROTO) return 'gen';
  if (proto === ASYNC_GENERATOR_PROTO) return 'asyncgen';
  return proto === ASYNC_PROTO ? 'async' : 'plain';
}
