import { markUsageReported } from '../sdk/reported-usage.js';
import { activeClient } from '../sdk/client-registry.js';
import { ManualCall } from '../sdk/manual-call.js';
import { costUsd, normalizeUsage, priceOf } from './model-usage.js';
import { traceStream, type StreamAccumulator, type StreamLike } from './traced-stream.js';

/** How one client method is recorded. */
export interface ApiMethodSpec {
  /** Op name of the recorded calls, e.g. `openai.chat.completions.create`. */
  opName: string | ((params: unknown, options: unknown) => string);
  /** A fresh accumulator for a streamed response. */
  accumulator: () => StreamAccumulator;
}

type AnyFn = (...args: unknown[]) => unknown;
const WRAPPED = Symbol.for('weft.wrapped');

/**
 * Replaces `target[method]` (an own property shadowing the prototype's) by a traced version: each call
 * is a weft call under the current op, with the request params as inputs and the response (or a
 * stream's accumulated message) as output. What the caller receives is the original's return value
 * itself: tracing only decorates the SDK's APIPromise (its `parse`, `asResponse`, `_thenUnwrap`) and a
 * Stream's `iterator`, and never calls `.then` on anything the caller holds.
 */
export function patchMethod(target: unknown, method: string, spec: ApiMethodSpec): void {
  if (target === null || typeof target !== 'object') return;
  const original = (target as Record<string, unknown>)[method];
  if (typeof original !== 'function' || (original as { [WRAPPED]?: true })[WRAPPED]) return;
  const traced = function (this: unknown, ...args: unknown[]): unknown {
    return tracedCall(spec, original as AnyFn, this, args);
  };
  Object.defineProperty(traced, WRAPPED, { value: true });
  Object.defineProperty(traced, 'name', { value: (original as AnyFn).name, configurable: true });
  Object.defineProperty(target, method, {
    value: traced,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function tracedCall(spec: ApiMethodSpec, original: AnyFn, self: unknown, args: unknown[]): unknown {
  const client = activeClient();
  if (!client) return Reflect.apply(original, self, args);
  let call: ManualCall;
  try {
    const params = args[0];
    const opName = typeof spec.opName === 'function' ? spec.opName(params, args[1]) : spec.opName;
    const inputs =
      params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : { params };
    call = ManualCall.start({ opName, inputs, ownUsage: true });
  } catch (err) {
    client.reportInternalError(err);
    return Reflect.apply(original, self, args);
  }
  if (!call.handle) return Reflect.apply(original, self, args);
  let result: unknown;
  try {
    result = runsUserCode(self, args[1])
      ? call.run(() => Reflect.apply(original, self, args))
      : Reflect.apply(original, self, args);
  } catch (thrown) {
    call.fail(thrown);
    throw thrown;
  }
  try {
    const state: CallState = {
      call,
      spec,
      requestModel: modelOf(args[0]),
      requested: false,
      prices: client.options.prices,
    };
    if (!decorateApiPromise(result, state)) call.end(undefined);
  } catch (err) {
    client.reportInternalError(err);
    call.end(undefined);
  }
  return result;
}

/**
 * Whether the client may run user code while it makes the request (a custom `fetch`, middleware), so
 * that ops called there must see the API call as their parent. A stock client runs none: the call is
 * then made without entering it as the current call, which spares the async-context propagation
 * through the client's promise chain (the call itself is a child of the current op either way).
 */
function runsUserCode(self: unknown, options: unknown): boolean {
  try {
    const c = (self as { _client?: { fetch?: unknown; middleware?: unknown } } | null)?._client;
    if (c === null || typeof c !== 'object' || c.fetch !== globalThis.fetch) return true;
    if (c.middleware !== undefined && !(Array.isArray(c.middleware) && c.middleware.length === 0))
      return true;
    if (options === null || typeof options !== 'object') return false;
    const o = options as { fetch?: unknown; middleware?: unknown };
    return o.fetch !== undefined || o.middleware !== undefined;
  } catch {
    return true;
  }
}

interface CallState {
  call: ManualCall;
  spec: ApiMethodSpec;
  requestModel: string | undefined;
  /** The caller asked for the parsed body (then/catch/finally/withResponse). */
  requested: boolean;
  prices: Parameters<typeof priceOf>[1];
}

interface ApiPromiseLike {
  parse: () => Promise<unknown>;
  asResponse: () => Promise<unknown>;
  _thenUnwrap?: (transform: unknown) => unknown;
  responsePromise: Promise<unknown>;
}

function isApiPromise(v: unknown): v is ApiPromiseLike {
  if (v === null || typeof v !== 'object') return false;
  const p = v as Partial<ApiPromiseLike>;
  return (
    typeof p.parse === 'function' &&
    typeof p.asResponse === 'function' &&
    p.responsePromise instanceof Promise
  );
}

/** Hooks the APIPromise so the call ends with what the caller gets; false if it is not one. */
function decorateApiPromise(promise: unknown, state: CallState): boolean {
  if (!isApiPromise(promise)) return false;
  const { parse, asResponse, _thenUnwrap } = promise;
  define(promise, 'parse', function (this: unknown) {
    const parsed = parse.call(this);
    if (!state.requested) {
      state.requested = true;
      parsed.then(
        (value) => onValue(value, state),
        (thrown: unknown) => state.call.fail(thrown),
      );
    }
    return parsed;
  });
  define(promise, 'asResponse', function (this: ApiPromiseLike) {
    const response = asResponse.call(this);
    // Only the raw Response was taken (its body is the caller's to read): the call ends at the headers.
    this.responsePromise.then(
      () => {
        if (!state.requested) state.call.end(null);
      },
      (thrown: unknown) => {
        if (!state.requested) state.call.fail(thrown);
      },
    );
    return response;
  });
  if (typeof _thenUnwrap === 'function') {
    define(promise, '_thenUnwrap', function (this: unknown, transform: unknown) {
      const derived = _thenUnwrap.call(this, transform);
      decorateApiPromise(derived, state);
      return derived;
    });
  }
  return true;
}

function define(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, configurable: true, enumerable: false });
}

function onValue(value: unknown, state: CallState): void {
  try {
    const stream = value as Partial<StreamLike> | null;
    if (stream !== null && typeof stream === 'object' && typeof stream.iterator === 'function') {
      const acc = state.spec.accumulator();
      traceStream(stream as StreamLike, acc, (output, error) => {
        if (error) state.call.fail(error.thrown);
        else finish(state, output, false, acc.ownsOutput?.() === true);
      });
      return;
    }
    finish(state, value, true, false);
  } catch {
    state.call.end(undefined);
  }
}

/**
 * Ends the call with `output`, adding its normalized usage and estimated cost under its model. An
 * output the caller received (`returned`; a stream's accumulated output is weft's own) is marked, so
 * that an op returning it does not count its usage a second time. The end record is written on a
 * later turn; an output weft owns (`own`: a stream's accumulated message that shares nothing with its
 * chunks) is serialized then too, any other now.
 */
function finish(state: CallState, output: unknown, returned: boolean, own: boolean): void {
  if (state.call.ended) return;
  try {
    const o = output as { model?: unknown; usage?: unknown } | null;
    const usage = o !== null && typeof o === 'object' ? normalizeUsage(o.usage) : undefined;
    const model =
      (o !== null && typeof o === 'object' && typeof o.model === 'string' ? o.model : undefined) ??
      state.requestModel;
    if (usage && model && state.call.handle) {
      if (returned) markUsageReported(o!);
      const price = priceOf(model, state.prices);
      const counts: Record<string, number> = {
        requests: 1,
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.total_tokens,
      };
      if (price) counts.cost_usd = costUsd(usage, price);
      state.call.handle.addUsage(model, counts);
    }
  } catch {
    // usage of an unexpected shape: the call is recorded without it
  }
  // The record is written off the caller's path; the output's text is taken now unless weft owns it.
  state.call.endLater(output, own);
}

function modelOf(params: unknown): string | undefined {
  try {
    const m = (params as { model?: unknown } | null)?.model;
    return typeof m === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}
