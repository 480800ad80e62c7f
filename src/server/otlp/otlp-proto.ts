import protobuf from 'protobufjs';
import { ValidationError } from '../../shared/errors.js';
import { HttpError } from '../http-error.js';
import { OTLP_DESCRIPTOR } from './otlp-descriptor.js';

/**
 * The OTLP trace messages, from the official protos (./proto, compiled into ./otlp-descriptor.ts) with
 * protobufjs: decoding and encoding are protobufjs's, not weft's. Field names are lowerCamelCase, as in
 * OTLP/JSON, so decoded protobuf messages and parsed JSON bodies are read by the same code.
 */
const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR).resolveAll();
const V1 = 'opentelemetry.proto.collector.trace.v1';
export const ExportTraceServiceRequest = root.lookupType(`${V1}.ExportTraceServiceRequest`);
export const ExportTraceServiceResponse = root.lookupType(`${V1}.ExportTraceServiceResponse`);

/**
 * `google.rpc.Status`, the body OTLP/HTTP servers answer errors with (`code`, `message`; weft sends no
 * `details`). Declared here: the trace protos do not import it.
 */
export const RpcStatus = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(RpcStatus);

/** Limits on what one protobuf body may decode into (see `DEFAULTS.otlpMaxMessages`). */
export interface DecodeLimits {
  /** Most embedded messages (spans, attributes, values, ...) in one request. */
  maxMessages: number;
  /** Most levels of embedded messages (nested array/kvlist values count one each). */
  maxDepth: number;
}

/**
 * Decodes an `ExportTraceServiceRequest`. Before protobufjs builds any object, a walk with protobufjs's
 * own Reader counts the embedded messages and their depth: a body of a few bytes per empty message
 * would otherwise decode into ~100 times its size in objects, and a deeply nested value would overflow
 * the stack. Over a limit: 413 (messages) or 400 (depth); malformed bytes: 400 naming the problem.
 */
export function decodeTraceRequest(bytes: Uint8Array, limits: DecodeLimits): protobuf.Message {
  try {
    const budget = { left: limits.maxMessages };
    walk(protobuf.Reader.create(bytes), bytes.length, ExportTraceServiceRequest, budget, limits.maxDepth);
  } catch (err) {
    if (err instanceof HttpError || err instanceof ValidationError) throw err;
    throw malformed(err);
  }
  try {
    return ExportTraceServiceRequest.decode(bytes);
  } catch (err) {
    throw malformed(err);
  }
}

/** Counts the embedded messages of the message of `type` that ends at `end`, recursing into each. */
function walk(
  reader: protobuf.Reader,
  end: number,
  type: protobuf.Type,
  budget: { left: number },
  depthLeft: number,
): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = type.fieldsById[tag >>> 3];
    const sub = field?.resolvedType;
    if (wireType !== 2 || !(sub instanceof protobuf.Type)) {
      reader.skipType(wireType);
      continue;
    }
    if (--budget.left < 0) {
      throw new HttpError(
        413,
        'the request holds more protobuf messages than the server accepts in one request',
      );
    }
    if (depthLeft === 0) {
      throw new ValidationError('body', 'protobuf messages are nested deeper than the server accepts');
    }
    const length = reader.uint32();
    const subEnd = reader.pos + length;
    if (subEnd > end) throw new RangeError(`message length ${length} runs past the end of its parent`);
    walk(reader, subEnd, sub, budget, depthLeft - 1);
    reader.pos = subEnd;
  }
}

function malformed(err: unknown): ValidationError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ValidationError('body', `malformed protobuf ExportTraceServiceRequest: ${reason}`);
}
