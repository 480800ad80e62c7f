import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { decodeTraceRequest, ExportTraceServiceRequest } from './otlp-proto.js';
import { readSpans } from './otlp-spans.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const PARENT = 'aaaabbbbccccdddd';

/** An OTLP/JSON request with one span (overridable) and a few attribute types. */
function jsonRequest(span: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '1.0' },
            spans: [
              {
                traceId: TRACE.toUpperCase(),
                spanId: SPAN,
                parentSpanId: PARENT,
                name: 'op',
                kind: 3,
                startTimeUnixNano: '1764400000000000123',
                endTimeUnixNano: 1764400001000000,
                attributes: [
                  { key: 's', value: { stringValue: 'x' } },
                  { key: 'i', value: { intValue: '9007199254740993' } },
                  { key: 'small', value: { intValue: 7 } },
                  { key: 'd', value: { doubleValue: 1.5 } },
                  { key: 'b', value: { boolValue: false } },
                  { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } },
                  {
                    key: 'kv',
                    value: { kvlistValue: { values: [{ key: 'n', value: { boolValue: true } }] } },
                  },
                  { key: 'raw', value: { bytesValue: 'AAE=' } },
                  { key: 'empty', value: {} },
                ],
                events: [{ name: 'e', timeUnixNano: '5', attributes: [] }],
                status: { code: 2, message: 'boom' },
                ...span,
              },
            ],
          },
        ],
      },
    ],
  };
}

test('OTLP/JSON: hex ids lowercased, times exact, every AnyValue type', () => {
  const [span, ...rest] = readSpans(jsonRequest());
  assert.equal(rest.length, 0);
  assert.ok(span);
  assert.equal(span.path, 'resourceSpans[0].scopeSpans[0].spans[0]');
  assert.equal(span.traceId, TRACE);
  assert.equal(span.parentSpanId, PARENT);
  assert.equal(span.startTimeUnixNano, 1764400000000000123n);
  assert.equal(span.endTimeUnixNano, 1764400001000000n);
  assert.deepEqual(span.attributes, {
    s: 'x',
    i: '9007199254740993', // beyond 2^53: kept exact as text
    small: 7,
    d: 1.5,
    b: false,
    arr: ['a', 1],
    kv: { n: true },
    raw: 'AAE=',
    empty: null,
  });
  assert.deepEqual(span.resource, { 'service.name': 'svc' });
  assert.deepEqual(span.scope, { name: 'lib', version: '1.0', attributes: {} });
  assert.equal(span.kind, 3);
  assert.equal(span.statusCode, 2);
  assert.equal(span.statusMessage, 'boom');
  assert.deepEqual(span.events, [{ name: 'e', timeUnixNano: 5n, attributes: {} }]);
});

test('protobuf: the same request decodes to the same spans (unset oneof values are not read as set)', () => {
  const json = jsonRequest();
  const viaJson = readSpans(json);
  // fromObject takes ids as base64 bytes; the rest of OTLP/JSON is the protobuf JSON mapping
  const spans = (json.resourceSpans as { scopeSpans: { spans: Record<string, unknown>[] }[] }[])[0]!
    .scopeSpans[0]!.spans;
  const span = spans[0]!;
  for (const key of ['traceId', 'spanId', 'parentSpanId']) {
    span[key] = Buffer.from(String(span[key]), 'hex').toString('base64');
  }
  const bytes = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(json)).finish();
  const viaProto = readSpans(decodeTraceRequest(bytes, { maxMessages: 1000, maxDepth: 32 }));
  assert.deepEqual(viaProto, viaJson);
});

test('a span without a parent has an empty parentSpanId; absent fields read as defaults', () => {
  const [span] = readSpans(jsonRequest({ parentSpanId: '', status: undefined, events: undefined }));
  assert.equal(span?.parentSpanId, '');
  assert.equal(span?.statusCode, 0);
  assert.deepEqual(span?.events, []);
});

test('enum names (protobuf JSON mapping) are taken as well as integers', () => {
  const [span] = readSpans(jsonRequest({ kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR' } }));
  assert.equal(span?.kind, 2);
  assert.equal(span?.statusCode, 2);
});

test('an empty request has no spans', () => {
  assert.deepEqual(readSpans({}), []);
  assert.deepEqual(readSpans({ resourceSpans: [] }), []);
});

test('every malformed field is a ValidationError at its path', () => {
  const at = 'resourceSpans[0].scopeSpans[0].spans[0]';
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ spanId: 'xyz' }, `${at}.spanId`, /hex/],
    [{ spanId: 'abcd' }, `${at}.spanId`, /8 bytes/],
    [{ spanId: undefined }, `${at}.spanId`, /required/],
    [{ traceId: '00000000000000000000000000000000' }, `${at}.traceId`, /all zeros/],
    [{ startTimeUnixNano: '-1' }, `${at}.startTimeUnixNano`, /nanoseconds/],
    [{ endTimeUnixNano: undefined }, `${at}.endTimeUnixNano`, /required/],
    [{ name: 5 }, `${at}.name`, /string/],
    [{ kind: 'CLIENT' }, `${at}.kind`, /SPAN_KIND_CLIENT/],
    [{ status: { code: 1.5 } }, `${at}.status.code`, /STATUS_CODE_ERROR/],
    [{ attributes: {} }, `${at}.attributes`, /array/],
    [
      { attributes: [{ key: 'k', value: { boolValue: 'yes' } }] },
      `${at}.attributes[0].value.boolValue`,
      /boolean/,
    ],
    [
      { attributes: [{ key: 'k', value: { kvlistValue: { values: [5] } } }] },
      `${at}.attributes[0].value.kvlistValue.values[0]`,
      /object/,
    ],
  ];
  for (const [override, path, message] of cases) {
    assert.throws(
      () => readSpans(jsonRequest(override)),
      (err: unknown) => err instanceof ValidationError && err.path === path && message.test(err.message),
      JSON.stringify(override),
    );
  }
  assert.throws(
    () => readSpans([]),
    (err: unknown) => err instanceof ValidationError && err.path === 'body',
  );
  assert.throws(
    () => readSpans({ resourceSpans: 'x' }),
    (err: unknown) => err instanceof ValidationError && err.path === 'resourceSpans',
  );
});

test('an attribute key `__proto__` is kept as a key, never set as the prototype', () => {
  const [span] = readSpans(jsonRequest({ attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }));
  assert.equal(Object.getPrototypeOf(span?.attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(span?.attributes, '__proto__')?.value, 'x');
});

test('deeply nested JSON attribute values are a 400, not a stack overflow', () => {
  let value: Record<string, unknown> = { stringValue: 'leaf' };
  for (let i = 0; i < 20_000; i++) value = { arrayValue: { values: [value] } };
  assert.throws(
    () => readSpans(jsonRequest({ attributes: [{ key: 'deep', value }] })),
    (err: unknown) => err instanceof ValidationError && /nested deeper than 64 levels/.test(err.message),
  );
  let ok: Record<string, unknown> = { stringValue: 'leaf' };
  for (let i = 0; i < 60; i++) ok = { kvlistValue: { values: [{ key: 'k', value: ok }] } };
  assert.equal(readSpans(jsonRequest({ attributes: [{ key: 'fine', value: ok }] })).length, 1);
});
