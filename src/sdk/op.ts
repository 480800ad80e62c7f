import { isPromise } from 'node:util/types';
import { traceContext, type TraceFrame } from './call-context.js';
import { openMid, type OpMeta } from './call-recorder.js';
import { activeClient } from './client-registry.js';
import { paramNames, type ParamNames } from './param-names.js';
import type { WeftClient } from './client.js';
import type { RunningCall } from './running-call.js';
import { traceAsyncIterator, traceSyncIterator } from './traced-iterators.js';

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

const GENERATOR = Object.getPrototypeOf(function* () {}).constructor as unknown;
const ASYNC_GENERATOR = Object.getPrototypeOf(async function* () {}).constructor as unknown;
const NATIVE_ASYNC = Object.getPrototypeOf(async function () {}).constructor as unknown;

/**
 * Wraps `fn` so every call is recorded. A sync function stays sync, an async one resolves to the same
 * value, generators yield the same items; `this` and thrown exceptions pass through unchanged.
 * Works before `init()` too (calls then run untraced).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function op<F extends (...args: any[]) => any>(fn: F, options: OpOptions = {}): Op<F> {
  if (typeof fn !== 'function') throw new TypeError(`op() expects a function, got ${typeof fn}`);
  const params = paramNames(fn);
  const name = options.name ?? (fn.name || 'anonymous');
  const meta: OpMeta = {
    name,
    eager: options.eagerCallStart === true,
    params,
    inputKeys:
      options.postprocessInputs || typeof options.callDisplayName === 'function'
        ? undefined
        : inputKeys(params),
    fixedMid:
      typeof options.callDisplayName === 'function'
        ? undefined
        : openMid(name, options.callDisplayName, undefined, undefined),
    callDisplayName: options.callDisplayName as OpMeta['callDisplayName'],
    postprocessInputs: options.postprocessInputs as OpMeta['postprocessInputs'],
    postprocessOutput: options.postprocessOutput,
  };
  const ctor = (fn as { constructor?: unknown }).constructor;
  const kind =
    ctor === GENERATOR
      ? 'gen'
      : ctor === ASYNC_GENERATOR
        ? 'asyncgen'
        : ctor === NATIVE_ASYNC
          ? 'async'
          : 'plain';

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
      result = traceContext.run(frame, Reflect.apply, fn, this, args);
    } catch (thrown) {
      endCall(client, meta, call, undefined, { thrown });
      throw thrown;
    }
    switch (shapeOf(kind, result)) {
      case 'gen':
        return traceSyncIterator(result as Generator, frame, client.maxIteratorItems, (items, e) =>
          endCall(client, meta, call, items, e),
        );
      case 'asyncgen':
        return traceAsyncIterator(result as AsyncGenerator, frame, client.maxIteratorItems, (items, e) =>
          endCall(client, meta, call, items, e),
        );
      case 'plain-promise':
        // A derived promise keeps unhandled rejections unhandled, as without tracing.
        return (result as Promise<unknown>).then(
          (value: unknown) => {
            endCall(client, meta, call, value, undefined);
            return value;
          },
          (thrown: unknown) => {
            endCall(client, meta, call, undefined, { thrown });
            throw thrown;
          },
        );
      case 'promise':
        // A Promise subclass (e.g. an SDK's APIPromise with extra methods) is returned as is, so its
        // methods stay; the call ends when it settles. Only native promises: a custom thenable (a query
        // builder whose `then` runs the query) is a value, its `then` left for the user to call.
        try {
          (result as Promise<unknown>).then(
            (value: unknown) => endCall(client, meta, call, value, undefined),
            (thrown: unknown) => endCall(client, meta, call, undefined, { thrown }),
          );
        } catch (thrown) {
          endCall(client, meta, call, undefined, { thrown });
        }
        return result;
      case 'value':
        break;
    }
    endCall(client, meta, call, result, undefined);
    return result;
  };
  try {
    Object.defineProperty(traced, 'name', { value: fn.name, configurable: true });
    Object.defineProperty(traced, 'length', { value: fn.length, configurable: true });
    Object.defineProperty(traced, 'opName', { value: meta.name, enumerable: true });
  } catch {
    // non-configurable properties: keep the wrapper's own
  }
  return traced as unknown as Op<F>;
}

/** Records a call's end; tracing never throws into user code. */
function endCall(
  client: WeftClient,
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
 * A copy of a Latin-1 string in V8's one-byte form. Parameter names are cut from the function's source,
 * which V8 keeps two bytes per character when the file holds any other character (a `…` in a comment):
 * one two-byte piece makes every record built with it two bytes per character, twice the memory.
 */
function oneByte(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u00ff]*$/.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : s;
}

type ResultShape = 'gen' | 'asyncgen' | 'plain-promise' | 'promise' | 'value';

/**
 * How an op's return value is traced. Every inspection is guarded: a revoked Proxy or one whose traps
 * throw is a value (recorded, returned untouched). `isPromise` reads no property and runs no trap.
 */
function shapeOf(kind: string, result: unknown): ResultShape {
  try {
    if ((kind === 'gen' || kind === 'asyncgen') && isIterator(result)) return kind;
    if (!isPromise(result)) return 'value';
    const plain = Object.getPrototypeOf(result) === Promise.prototype && Object.keys(result).length === 0;
    return plain ? 'plain-promise' : 'promise';
  } catch {
    return 'value';
  }
}

function isIterator(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as { next?: unknown }).next === 'function';
}
