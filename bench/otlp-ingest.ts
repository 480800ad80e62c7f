/**
 * OTLP/HTTP trace ingest rate (`POST /otel/v1/traces`, protobuf and JSON) against `calls/complete`
 * ingest of the same calls, same run, same server code.
 *
 *   node --expose-gc dist/bench/otlp-ingest.js [--spans 50000] [--batch 512] [--rounds 3]
 *
 * Spans are synthetic traces of 10 (agent root -> 3 steps -> a GenAI chat span with model, token
 * counts and JSON messages, and a tool span), with a resource and a few attributes each, as an
 * OpenTelemetry SDK exports them. The `calls/complete` bodies hold the calls the server makes of those
 * very spans (readSpans + spanToCall, run here once), so both paths store the same rows. Bodies are
 * prebuilt and gzipped (level 1) alike, `--batch` spans per request (512: BatchSpanProcessor's
 * default), one request in flight. The server runs in its own process (bench/lib/server-main.ts) on a
 * fresh SQLite file per measurement. Ratio: OTLP spans/s over calls/complete calls/s of the same round.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, constants as zlib } from 'node:zlib';
import { ExportTraceServiceRequest } from '../src/server/otlp/otlp-proto.js';
import { readSpans } from '../src/server/otlp/otlp-spans.js';
import { spanToCall } from '../src/server/otlp/span-to-call.js';
import { mulberry32 } from '../src/shared/mulberry32.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { ServerProcess } from './lib/server-process.js';
import { fmt, int, median, printHeader, printTable } from './lib/stats.js';
import { sentence } from './lib/synthetic-text.js';

const SPANS = numberArg('spans', 50_000);
const BATCH = numberArg('batch', 512);
const ROUNDS = numberArg('rounds', 3);
const PROJECT_ID = 'bench/otlp';

type Mode = 'calls/complete' | 'OTLP protobuf' | 'OTLP JSON';
const MODES: Mode[] = ['calls/complete', 'OTLP protobuf', 'OTLP JSON'];

type Json = Record<string, unknown>;
const str = (key: string, v: string): Json => ({ key, value: { stringValue: v } });
const num = (key: string, v: number): Json => ({ key, value: { intValue: v } });

/** OTLP/JSON spans (ids as hex), `n` of them in traces of 10. */
function generateSpans(n: number): Json[] {
  const rng = mulberry32(7);
  const hex = (bytes: number) =>
    Array.from({ length: bytes }, () =>
      Math.floor(rng() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join('');
  const spans: Json[] = [];
  let t = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
  const span = (traceId: string, parent: string, name: string, durMs: number, attributes: Json[]): string => {
    const spanId = hex(8);
    const start = t;
    t += 1_000_000n;
    spans.push({
      traceId,
      spanId,
      ...(parent ? { parentSpanId: parent } : {}),
      name,
      kind: parent ? 3 : 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(durMs) * 1_000_000n),
      attributes,
      status: { code: rng() < 0.02 ? 2 : 0 },
    });
    return spanId;
  };
  while (spans.length < n) {
    const traceId = hex(16);
    const root = span(traceId, '', 'agent.run', 900, [str('app.user', 'u42'), num('app.turn', 3)]);
    for (let step = 0; step < 3; step++) {
      const s = span(traceId, root, `agent.step_${step}`, 250, [num('step', step)]);
      const question = sentence(rng, 20);
      span(traceId, s, 'chat gpt-4o-mini', 200, [
        str('gen_ai.operation.name', 'chat'),
        str('gen_ai.system', 'openai'),
        str('gen_ai.request.model', 'gpt-4o-mini'),
        str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
        num('gen_ai.usage.input_tokens', 20 + Math.floor(rng() * 200)),
        num('gen_ai.usage.output_tokens', 5 + Math.floor(rng() * 100)),
        str(
          'gen_ai.input.messages',
          JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: question }] }]),
        ),
        str(
          'gen_ai.output.messages',
          JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: sentence(rng, 30) }],
              finish_reason: 'stop',
            },
          ]),
        ),
      ]);
      span(traceId, s, 'tool.search', 30, [str('tool.query', sentence(rng, 6))]);
    }
  }
  return spans.slice(0, n);
}

function otlpRequest(spans: Json[]): Json {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [str('service.name', 'bench-agent'), str('telemetry.sdk.language', 'nodejs')],
        },
        scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans }],
      },
    ],
  };
}

/** The same request as protobuf: protobufjs's fromObject takes bytes fields as base64. */
function protobufBytes(request: Json): Uint8Array {
  const copy = structuredClone(request) as { resourceSpans: { scopeSpans: { spans: Json[] }[] }[] };
  for (const s of copy.resourceSpans[0]?.scopeSpans[0]?.spans ?? []) {
    for (const k of ['traceId', 'spanId', 'parentSpanId']) {
      if (typeof s[k] === 'string') s[k] = Buffer.from(s[k], 'hex').toString('base64');
    }
  }
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish();
}

const gz = (data: Uint8Array | string) => gzipSync(data, { level: zlib.Z_BEST_SPEED });

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

async function send(url: string, body: Buffer, contentType: string): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, 'content-encoding': 'gzip', 'x-weft-project': PROJECT_ID },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 300)}`);
}

async function main(): Promise<void> {
  printHeader('otlp-ingest', [`spans: ${SPANS}, batch: ${BATCH}, rounds: ${ROUNDS}`]);
  const spans = generateSpans(SPANS);
  const requests = chunks(spans, BATCH).map(otlpRequest);
  const bodies: Record<Mode, Buffer[]> = {
    'OTLP JSON': requests.map((r) => gz(JSON.stringify(r))),
    'OTLP protobuf': requests.map((r) => gz(protobufBytes(r))),
    'calls/complete': requests.map((r) =>
      gz(JSON.stringify({ batch: readSpans(r).map((s) => spanToCall(s, PROJECT_ID)) })),
    ),
  };
  const avg = (m: Mode) => int(bodies[m].reduce((n, b) => n + b.length, 0) / bodies[m].length);
  console.log(
    `prepared ${spans.length} spans in ${requests.length} requests; gzipped body sizes: ` +
      MODES.map((m) => `${m} ${avg(m)} B`).join(', '),
  );

  const measure = async (mode: Mode): Promise<number> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-otlp-'));
    try {
      forceGc();
      const server = await ServerProcess.start(path.join(dir, 'weft.db'));
      try {
        const [entity, project] = PROJECT_ID.split('/');
        const url =
          mode === 'calls/complete'
            ? `${server.url}/v2/${entity}/${project}/calls/complete`
            : `${server.url}/otel/v1/traces`;
        const type = mode === 'OTLP protobuf' ? 'application/x-protobuf' : 'application/json';
        const t = performance.now();
        for (const body of bodies[mode]) await send(url, body, type);
        const ms = performance.now() - t;
        const answer = await server.post('/calls/query_stats', JSON.stringify({ project_id: PROJECT_ID }));
        const count = (JSON.parse(answer) as { count: number }).count;
        if (count !== spans.length)
          throw new Error(`${mode}: the server holds ${count} calls, expected ${spans.length}`);
        return ms;
      } finally {
        await server.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  const ms: Record<Mode, number[]> = { 'calls/complete': [], 'OTLP protobuf': [], 'OTLP JSON': [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...MODES].reverse() : MODES;
    for (const mode of order) {
      const x = await measure(mode);
      ms[mode].push(x);
      console.log(
        `round ${r + 1}/${ROUNDS}: ${mode.padEnd(15)} ${fmt(x, 0).padStart(6)} ms  ${int((spans.length * 1000) / x)} spans/s`,
      );
    }
  }
  const rate = (m: Mode) => median(ms[m].map((x) => (spans.length * 1000) / x));
  const ratio = (m: Mode) => median(ms[m].map((x, r) => (ms['calls/complete'][r] as number) / x));
  printTable(
    `Ingest of ${int(spans.length)} spans in requests of ${BATCH} (median of ${ROUNDS} rounds, fresh db each)`,
    ['path', 'ms', 'spans/s', 'rate vs calls/complete (same round)'],
    MODES.map((m) => [
      m,
      fmt(median(ms[m]), 0),
      int(rate(m)),
      m === 'calls/complete' ? '1 (baseline)' : `${fmt(ratio(m), 2)}x`,
    ]),
  );
}

await main();
