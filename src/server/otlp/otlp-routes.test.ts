import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CallRecord } from '../../shared/call-types.js';
import { StoreError } from '../../shared/errors.js';
import { createTestApp, uid } from '../test-app.test-helper.js';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js';

const t = createTestApp();
after(() => t.close());

const TRACE = '5b8efff798038103d269b633813fc60c';
let spanSeq = 0;
const spanId = () => (0x1000000000000000n + BigInt(++spanSeq) + BigInt(process.pid) * 0x10000n).toString(16);

function span(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId: spanId(),
    name: 'work',
    startTimeUnixNano: '1764400000000000000',
    endTimeUnixNano: '1764400000250000000',
    ...overrides,
  };
}

const request = (...spans: Record<string, unknown>[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const project = () => `acme/${uid('otel')}`;

async function readCall(projectId: string, id: string): Promise<CallRecord | null> {
  const res = await t.post('/call/read', { project_id: projectId, id });
  return ((await res.json()) as { call: CallRecord | null }).call;
}

async function count(projectId: string): Promise<number> {
  const res = await t.post('/calls/query_stats', { project_id: projectId });
  return ((await res.json()) as { count: number }).count;
}

function protobufBody(body: Record<string, unknown>): Uint8Array {
  const copy = structuredClone(body) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  for (const s of copy.resourceSpans[0]!.scopeSpans[0]!.spans) {
    for (const k of ['traceId', 'spanId', 'parentSpanId']) {
      if (typeof s[k] === 'string') s[k] = Buffer.from(s[k] as string, 'hex');
    }
  }
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish();
}

test('OTLP/JSON: 200 with an empty ExportTraceServiceResponse; the span is a call; resent once', async () => {
  const p = project();
  const s = span();
  const res = await t.post('/otel/v1/traces', request(s), { 'x-weft-project': p });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.json(), {});
  const call = await readCall(p, s.spanId as string);
  assert.equal(call?.op_name, 'work');
  assert.equal(call?.trace_id, TRACE);
  assert.equal(call?.status, 'success');
  assert.equal((await t.post('/v1/traces', request(s), { 'x-weft-project': p })).status, 200);
  assert.equal(await count(p), 1);
});

test('OTLP/protobuf, gzipped: answered in protobuf', async () => {
  const p = project();
  const s = span({ parentSpanId: 'aaaabbbbccccdddd' });
  const res = await t.post('/otel/v1/traces', gzipSync(protobufBody(request(s))), {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'gzip',
    'x-weft-project': p,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
  const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer()));
  assert.equal(ExportTraceServiceResponse.toObject(decoded).partialSuccess, undefined);
  assert.equal((await readCall(p, s.spanId as string))?.parent_id, 'aaaabbbbccccdddd');
});

test('one bad span refuses the whole request, by the same validation as calls/complete', async () => {
  const p = project();
  const farFuture = span({
    startTimeUnixNano: '18000000000000000000',
    endTimeUnixNano: '18000000000000000001',
  });
  const res = await t.post('/otel/v1/traces', request(span(), farFuture), { 'x-weft-project': p });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { field: string; error: string; code: number };
  assert.equal(body.field, 'resourceSpans[0].scopeSpans[0].spans[1].started_at');
  assert.match(body.error, /2255/);
  assert.equal(await count(p), 0);

  const proto = await t.post('/otel/v1/traces', protobufBody(request(span({ spanId: '00' }))), {
    'content-type': 'application/x-protobuf',
    'x-weft-project': p,
  });
  assert.equal(proto.status, 400);
  const status = RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await proto.arrayBuffer())));
  assert.equal(status.code, 3);
  assert.match(String(status.message), /spans\[0\]\.spanId: expected 8 bytes/);
  assert.equal(await count(p), 0);
});

test('content types and the project header', async () => {
  const p = project();
  const text = await t.post('/otel/v1/traces', 'x', { 'content-type': 'text/plain', 'x-weft-project': p });
  assert.equal(text.status, 415);
  assert.match(((await text.json()) as { error: string }).error, /application\/x-protobuf/);
  const charset = await t.post('/otel/v1/traces', JSON.stringify(request(span())), {
    'content-type': 'application/json; charset=utf-8',
    'x-weft-project': p,
  });
  assert.equal(charset.status, 200);
  const missing = await t.post('/otel/v1/traces', request(span()));
  assert.equal(missing.status, 400);
  assert.equal(((await missing.json()) as { field: string }).field, 'x-weft-project');
  const invalid = await t.post('/otel/v1/traces', request(span()), { 'x-weft-project': 'no slash' });
  assert.equal(invalid.status, 400);
  assert.equal(((await invalid.json()) as { field: string }).field, 'x-weft-project');
  const broken = await t.post('/otel/v1/traces', '{"resourceSpans":', { 'x-weft-project': p });
  assert.equal(broken.status, 400);
  assert.match(((await broken.json()) as { error: string }).error, /malformed JSON/);
});

test('authenticated like every route: key scope gives the project, another project is 403', async () => {
  const keyed = createTestApp();
  try {
    const p = project();
    const auth = await keyed.keyFor(p);
    assert.equal((await keyed.post('/otel/v1/traces', request(span()), { 'x-weft-project': p })).status, 401);
    const s = span();
    assert.equal((await keyed.post('/otel/v1/traces', request(s), auth)).status, 200);
    const read = await keyed.post('/call/read', { project_id: p, id: s.spanId }, auth);
    assert.equal(((await read.json()) as { call: CallRecord | null }).call?.id, s.spanId);
    const other = await keyed.post('/otel/v1/traces', request(span()), {
      ...auth,
      'x-weft-project': 'acme/other',
    });
    assert.equal(other.status, 403);
  } finally {
    await keyed.close();
  }
});

test('a body inflating past the limit is 413; a failed store write is a retryable 503', async () => {
  const small = createTestApp({ maxBodyBytes: 64 * 1024 });
  try {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    const res = await small.post('/otel/v1/traces', bomb, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
      'x-weft-project': 'acme/bomb',
    });
    assert.equal(res.status, 413);
    assert.equal(RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await res.arrayBuffer()))).code, 8);
    // a write the store fails (disk full, ClickHouse down) is injected: the exporter must retry it
    small.store.ingest = () => Promise.reject(new StoreError('disk full', 'STORE_WRITE_FAILED'));
    const failed = await small.post('/otel/v1/traces', request(span()), { 'x-weft-project': 'acme/failed' });
    assert.equal(failed.status, 503);
    assert.equal(failed.headers.get('retry-after'), '1');
    assert.match(((await failed.json()) as { error: string }).error, /retry/);
  } finally {
    await small.close();
  }
});
