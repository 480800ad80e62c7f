import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { OTLPTraceExporter as HttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { RpcStatus } from '../src/server/otlp/otlp-proto.js';
import { isoToMicros } from '../src/shared/time.js';
import { CLICKHOUSE_SKIP, CLICKHOUSE_URL } from '../src/store/clickhouse/test-databases.test-helper.js';
import { exportOnce, providerWith, recordAgentTrace, recordInMemory } from './helpers/otel-spans.js';
import { WeftServer, type WeftServerStore } from './helpers/weft-server.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

type Compression = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>['compression'];
const GZIP = 'gzip' as Compression;

interface StoredCall {
  id: string;
  trace_id: string;
  parent_id: string | null;
  op_name: string;
  started_at: string;
  ended_at: string | null;
  exception: string | null;
  attributes: Record<string, unknown>;
  inputs: Record<string, unknown>;
  output: unknown;
  summary: { usage?: Record<string, Record<string, number>>; status_counts?: Record<string, number> };
}

const stores: { name: string; store: WeftServerStore; skip: string | false }[] = [
  { name: 'sqlite', store: { kind: 'sqlite' }, skip: false },
  {
    name: 'clickhouse',
    store: { kind: 'clickhouse', clickhouseUrl: CLICKHOUSE_URL ?? '' },
    skip: CLICKHOUSE_SKIP,
  },
];

let projectSeq = 0;
const freshProject = () => `otel/p${process.pid}-${++projectSeq}`;

async function readCalls(server: WeftServer, project: string): Promise<StoredCall[]> {
  const res = await server.post('/calls/stream_query', { project_id: project });
  assert.equal(res.status, 200);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as StoredCall);
}

async function count(server: WeftServer, project: string): Promise<number> {
  const res = await server.post('/calls/query_stats', { project_id: project });
  return ((await res.json()) as { count: number }).count;
}

for (const { name, store, skip } of stores) {
  describe(`OTLP ingest on the ${name} store`, { skip }, () => {
    const server = new WeftServer([], store);
    before(() => server.start());
    after(() => server.dispose());

    test('protobuf exporter + BatchSpanProcessor: spans become nested calls with GenAI usage', async () => {
      const project = freshProject();
      const exporter = new ProtoExporter({
        url: `${server.url}/otel/v1/traces`,
        headers: { 'x-weft-project': project },
      });
      const provider = providerWith(exporter);
      const { traceId, root } = recordAgentTrace(provider);
      await provider.forceFlush();
      await provider.shutdown();

      const calls = await readCalls(server, project);
      assert.equal(calls.length, 3);
      const byName = new Map(calls.map((c) => [c.op_name, c]));
      const agent = byName.get('agent.run');
      const chat = byName.get('chat gpt-4o-mini');
      const tool = byName.get('tool.search');
      assert.ok(agent && chat && tool);
      for (const c of calls) assert.equal(c.trace_id, traceId);
      assert.equal(agent.id, root);
      assert.equal(agent.parent_id, null);
      assert.equal(chat.parent_id, root);
      assert.equal(tool.parent_id, root);
      // (child and parent times are not compared: the OTel SDK anchors each span's clock to Date.now())
      const us = (iso: string | null) => isoToMicros(iso ?? '') ?? Number.NaN;
      for (const c of calls) {
        assert.ok(us(c.started_at) <= us(c.ended_at), `${c.op_name}: ${c.started_at} .. ${c.ended_at}`);
        assert.ok(Math.abs(us(c.started_at) - Date.now() * 1000) < 60_000_000, 'times in ns -> µs');
      }
      assert.equal(agent.attributes['app.user'], 'ada');
      assert.equal(agent.attributes['app.turn'], 3);
      const otel = agent.attributes.otel as Record<string, unknown>;
      assert.deepEqual(otel.resource, {
        ...(otel.resource as object),
        'service.name': 'otel-test-app',
      });
      assert.deepEqual(otel.scope, { name: 'weft-otlp-test', version: '1.2.3' });

      assert.equal(chat.attributes['custom.flag'], true);
      assert.equal(chat.attributes['gen_ai.input.messages'], undefined, 'moved into inputs');
      assert.equal(chat.inputs.model, 'gpt-4o-mini');
      assert.equal(chat.inputs.temperature, 0.2);
      assert.deepEqual(chat.inputs.messages, [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
      assert.deepEqual((chat.output as { choices: unknown }).choices, [
        {
          index: 0,
          message: { role: 'assistant', parts: [{ type: 'text', content: 'hello!' }] },
          finish_reason: 'stop',
        },
      ]);
      const usage = chat.summary.usage?.['gpt-4o-mini-2024-07-18'];
      assert.equal(usage?.prompt_tokens, 12);
      assert.equal(usage?.completion_tokens, 5);
      assert.equal(usage?.total_tokens, 17);
      assert.equal(usage?.requests, 1);
      assert.equal(typeof usage?.cost_usd, 'number', 'priced from the built-in table');

      assert.match(tool.exception ?? '', /^TypeError: index offline/);
      assert.equal(agent.exception, null);
    });

    test('JSON exporter, gzip, on /v1/traces with OpenInference attributes', async () => {
      const project = freshProject();
      const exporter = new HttpExporter({
        url: `${server.url}/v1/traces`,
        headers: { 'x-weft-project': project },
        compression: GZIP,
      });
      const provider = providerWith(exporter);
      const tracer = provider.getTracer('openinference');
      const span = tracer.startSpan('ChatCompletion', {
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'gpt-4o',
          'llm.token_count.prompt': 30,
          'llm.token_count.completion': 10,
          'llm.token_count.total': 40,
          'input.value': JSON.stringify({ messages: [{ role: 'user', content: 'weather?' }] }),
          'input.mime_type': 'application/json',
          'output.value': 'sunny',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'weather?',
        },
      });
      span.end();
      await provider.forceFlush();
      await provider.shutdown();
      const [call, ...rest] = await readCalls(server, project);
      assert.equal(rest.length, 0);
      assert.ok(call);
      assert.deepEqual(call.inputs.messages, [{ role: 'user', content: 'weather?' }]);
      assert.equal(call.inputs.model, 'gpt-4o');
      assert.equal(call.output, 'sunny');
      assert.deepEqual(
        { ...call.summary.usage?.['gpt-4o'], cost_usd: undefined },
        { requests: 1, prompt_tokens: 30, completion_tokens: 10, total_tokens: 40, cost_usd: undefined },
      );
      assert.equal(call.attributes['input.value'], undefined);
      assert.equal(call.attributes['openinference.span.kind'], 'LLM');
    });

    test('re-sent spans (protobuf and JSON) are stored once', async () => {
      const project = freshProject();
      const spans = recordInMemory((p) => recordAgentTrace(p));
      assert.equal(spans.length, 3);
      const headers = { 'x-weft-project': project };
      const proto = new ProtoExporter({ url: `${server.url}/otel/v1/traces`, headers, compression: GZIP });
      const json = new HttpExporter({ url: `${server.url}/otel/v1/traces`, headers });
      await exportOnce(proto, spans);
      await exportOnce(proto, spans);
      await exportOnce(json, spans);
      assert.equal(await count(server, project), 3);
      const calls = await readCalls(server, project);
      assert.equal(new Set(calls.map((c) => c.id)).size, 3);
      await Promise.all([proto.shutdown(), json.shutdown()]);
    });

    test('malformed payloads are refused whole with a message naming the problem', async () => {
      const project = freshProject();
      const good = {
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        name: 'ok',
        startTimeUnixNano: '1764400000000000000',
        endTimeUnixNano: '1764400001000000000',
      };
      const body = {
        resourceSpans: [{ scopeSpans: [{ spans: [good, { ...good, spanId: 'xyz', name: 'bad' }] }] }],
      };
      const headers = { 'x-weft-project': project };
      const res = await server.post('/otel/v1/traces', body, headers);
      assert.equal(res.status, 400);
      const err = (await res.json()) as { code: number; message: string; field: string };
      assert.equal(err.field, 'resourceSpans[0].scopeSpans[0].spans[1].spanId');
      assert.equal(err.code, 3);
      assert.match(err.message, /spanId/);
      assert.equal(await count(server, project), 0, 'the good span of the batch is not written either');

      const garbage = await fetch(`${server.url}/otel/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', ...headers },
        body: new Uint8Array([0x0a, 0xff, 0xff, 0x03, 0x01]),
      });
      assert.equal(garbage.status, 400);
      assert.equal(garbage.headers.get('content-type'), 'application/x-protobuf');
      const status = RpcStatus.decode(new Uint8Array(await garbage.arrayBuffer())) as unknown as {
        code: number;
        message: string;
      };
      assert.equal(status.code, 3);
      assert.match(status.message, /malformed protobuf/);

      const text = await server.post('/otel/v1/traces', 'x', { 'content-type': 'text/plain', ...headers });
      assert.equal(text.status, 415);
      const noProject = await server.post('/otel/v1/traces', body);
      assert.equal(noProject.status, 400);
      assert.equal(((await noProject.json()) as { field: string }).field, 'x-weft-project');
      assert.equal(await count(server, project), 0);
    });

    test('with an API key: no header needed (the project of the key), another project is refused', async () => {
      const keyed = new WeftServer([], store);
      try {
        const project = freshProject();
        const storeArgs =
          store.kind === 'clickhouse'
            ? [
                '--store',
                'clickhouse',
                '--clickhouse-url',
                store.clickhouseUrl,
                '--clickhouse-database',
                keyed.clickhouseDatabase,
              ]
            : ['--db', keyed.db];
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
        const { stdout } = await run(
          process.execPath,
          [CLI, 'keys', 'create', '--project', project, ...storeArgs],
          {
            env,
          },
        );
        await keyed.start();
        const authorization = `Bearer ${stdout.trim()}`;
        const spans = recordInMemory((p) => recordAgentTrace(p));
        const url = `${keyed.url}/otel/v1/traces`;
        const exporter = new ProtoExporter({ url, headers: { authorization } });
        await exportOnce(exporter, spans);
        const res = await keyed.post('/calls/query_stats', { project_id: project }, { authorization });
        assert.equal(((await res.json()) as { count: number }).count, 3);
        const anonymous = new ProtoExporter({ url, headers: { 'x-weft-project': project } });
        await assert.rejects(exportOnce(anonymous, spans), /401|Unauthorized|missing API key/i);
        const other = new ProtoExporter({ url, headers: { authorization, 'x-weft-project': 'otel/other' } });
        await assert.rejects(exportOnce(other, spans), /403|Forbidden|scoped to project/i);
        await Promise.all([exporter.shutdown(), anonymous.shutdown(), other.shutdown()]);
      } finally {
        await keyed.dispose();
      }
    });

    test('a gzip body inflating past the body limit is refused with 413', async () => {
      const project = freshProject();
      const bomb = gzipSync(Buffer.alloc(33 * 1024 * 1024), { level: 9 });
      assert.ok(bomb.length < 100_000);
      const res = await fetch(`${server.url}/otel/v1/traces`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
          'x-weft-project': project,
        },
        body: bomb,
      });
      assert.equal(res.status, 413);
      assert.equal(await count(server, project), 0);
    });
  });
}
