import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../http-error.js';
import { ValidationError } from '../../shared/errors.js';
import { OTLP_DESCRIPTOR } from './otlp-descriptor.js';
import { decodeTraceRequest, ExportTraceServiceRequest, RpcStatus } from './otlp-proto.js';

const LIMITS = { maxMessages: 1000, maxDepth: 32 };

function encode(request: Record<string, unknown>): Uint8Array {
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish();
}

function spansOf(attributes: unknown[] = []): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.alloc(16, 1),
                spanId: Buffer.alloc(8, 2),
                name: 'chat',
                startTimeUnixNano: '1764400000000000123',
                endTimeUnixNano: '1764400001000000000',
                attributes,
              },
            ],
          },
        ],
      },
    ],
  };
}

test('the committed descriptor is the one the vendored .proto files give', async () => {
  // dist/src/server/otlp -> the repo root, where scripts/ lives
  const protos = (await import(new URL('../../../../scripts/otlp-protos.mjs', import.meta.url).href)) as {
    loadOtlpProtos(): unknown;
  };
  assert.equal(
    JSON.stringify(OTLP_DESCRIPTOR),
    JSON.stringify(protos.loadOtlpProtos()),
    'stale: run node scripts/gen-otlp-descriptor.mjs',
  );
});

test('decodes a request: ids as bytes, 64-bit times exactly', () => {
  const decoded = decodeTraceRequest(encode(spansOf()), LIMITS) as unknown as {
    resourceSpans: {
      scopeSpans: { spans: { spanId: Uint8Array; name: string; startTimeUnixNano: object }[] }[];
    }[];
  };
  const span = decoded.resourceSpans[0]?.scopeSpans[0]?.spans[0];
  assert.equal(span?.name, 'chat');
  assert.equal(Buffer.from(span?.spanId ?? []).toString('hex'), '0202020202020202');
  assert.equal(String(span?.startTimeUnixNano), '1764400000000000123');
});

test('an empty body is an empty request', () => {
  const decoded = decodeTraceRequest(new Uint8Array(0), LIMITS) as unknown as { resourceSpans: unknown[] };
  assert.deepEqual(decoded.resourceSpans, []);
});

test('malformed bytes are a 400 naming the body', () => {
  for (const bytes of [
    [0x0a, 0x05, 0x01], // length past the end
    [0x0f], // wire type 7
    [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // truncated varint
  ]) {
    assert.throws(
      () => decodeTraceRequest(new Uint8Array(bytes), LIMITS),
      (err: unknown) =>
        err instanceof ValidationError && err.path === 'body' && /malformed protobuf/.test(err.message),
      `bytes ${bytes.join(',')}`,
    );
  }
});

test('more embedded messages than the limit: 413 before anything is decoded', () => {
  const many = Array.from({ length: 600 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } }));
  const bytes = encode(spansOf(many)); // 1 200 attribute messages + 3 containers
  assert.ok(decodeTraceRequest(bytes, { maxMessages: 2000, maxDepth: 32 }));
  assert.throws(
    () => decodeTraceRequest(bytes, { maxMessages: 1000, maxDepth: 32 }),
    (err: unknown) => err instanceof HttpError && err.status === 413,
  );
});

test('empty messages of 2 bytes each are counted too (the amplification the limit exists for)', () => {
  // resource_spans (field 1, length-delimited) with an empty body, repeated: 2 bytes per decoded object
  const bytes = new Uint8Array(4000).map((_, i) => (i % 2 === 0 ? 0x0a : 0x00));
  assert.throws(
    () => decodeTraceRequest(bytes, LIMITS),
    (err: unknown) => err instanceof HttpError && err.status === 413,
  );
});

test('values nested deeper than the limit: 400, no stack overflow', () => {
  let value: Record<string, unknown> = { stringValue: 'leaf' };
  for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
  const bytes = encode(spansOf([{ key: 'deep', value }]));
  assert.throws(
    () => decodeTraceRequest(bytes, LIMITS),
    (err: unknown) => err instanceof ValidationError && /nested deeper/.test(err.message),
  );
  assert.ok(decodeTraceRequest(bytes, { maxMessages: 1000, maxDepth: 128 }));
});

test('google.rpc.Status round-trips (the error body of protobuf requests)', () => {
  const bytes = RpcStatus.encode({ code: 3, message: 'spanId: bad' }).finish();
  assert.deepEqual(RpcStatus.toObject(RpcStatus.decode(bytes)), { code: 3, message: 'spanId: bad' });
});
