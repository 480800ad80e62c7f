/**
 * CPU cost per record of the trace server's request validation, against `JSON.parse` of the same body
 * (in-process, no HTTP): where the time of `server-ingest` goes before the store is reached.
 *
 *   node dist/bench/server-parse.js [--records 1000] [--rounds 30]
 *
 * Rows: `JSON.parse` of a `calls/complete` body; `parseCompleteBatch` of the parsed body (what the
 * route runs); the same for `/call/upsert_batch` start and end halves; and, to show where
 * `parseCompleteCall` spends its time, the merge of the two validated halves it does
 * (`{ ...start, ...end }`) next to `Object.assign({}, start, end)` on objects of the same shapes.
 */
import { parseStartedCall } from '../src/server/validation/call-parts.js';
import { parseCompleteBatch, parseUpsertBatch } from '../src/server/validation/write-requests.js';
import { numberArg } from './lib/cli-args.js';
import { forceGc } from './lib/gc.js';
import { generateCalls, halves } from './lib/synthetic-calls.js';
import { fmt, median, printHeader, printTable } from './lib/stats.js';

const RECORDS = numberArg('records', 1000);
const ROUNDS = numberArg('rounds', 30);
const PROJECT = 'bench/parse';

const calls = [
  ...generateCalls({
    projectId: PROJECT,
    traces: Math.ceil(RECORDS / 10),
    fromUs: Date.UTC(2026, 0, 1) * 1000,
    toUs: Date.UTC(2026, 0, 2) * 1000,
  }),
].slice(0, RECORDS);
const completeText = JSON.stringify({ batch: calls.map((c) => c.call) });
const hs = calls.map(halves);
const upsertText = JSON.stringify({
  batch: [
    ...hs.map((h) => ({ mode: 'start', req: { start: h.start } })),
    ...hs.map((h) => ({ mode: 'end', req: { end: h.end } })),
  ],
});

/** The halves as parseCompleteCall holds them before merging: a 14-field start, an end with `output` added last. */
function halvesAsValidated(): { start: Record<string, unknown>; end: Record<string, unknown> }[] {
  const body = JSON.parse(completeText) as { batch: Record<string, unknown>[] };
  return body.batch.map((item) => {
    const start = parseStartedCall(item, 'x', PROJECT).call as unknown as Record<string, unknown>;
    const e = item as { ended_at: string; exception: string | null; summary: unknown; output: unknown };
    const end: Record<string, unknown> = {
      project_id: PROJECT,
      id: item.id,
      ended_at: e.ended_at,
      exception: e.exception,
      summary: e.summary,
      wb_run_step_end: null,
    };
    end.output = e.output;
    return { start, end };
  });
}

type Case = { name: string; perRecord: number; setup: () => unknown; run: (input: unknown) => unknown };

const cases: Case[] = [
  {
    name: 'JSON.parse of the calls/complete body',
    perRecord: RECORDS,
    setup: () => completeText,
    run: (t) => JSON.parse(t as string),
  },
  {
    name: 'parseCompleteBatch (validation of calls/complete)',
    perRecord: RECORDS,
    setup: () => JSON.parse(completeText),
    run: (b) => parseCompleteBatch(b, PROJECT),
  },
  {
    name: 'JSON.parse of the upsert_batch body (halves)',
    perRecord: RECORDS,
    setup: () => upsertText,
    run: (t) => JSON.parse(t as string),
  },
  {
    name: 'parseUpsertBatch (validation of start + end halves)',
    perRecord: RECORDS,
    setup: () => JSON.parse(upsertText),
    run: (b) => parseUpsertBatch(b),
  },
  {
    name: 'merge of the halves: { ...start, ...end } (as parseCompleteCall)',
    perRecord: RECORDS,
    setup: halvesAsValidated,
    run: (xs) => (xs as { start: object; end: object }[]).map(({ start, end }) => ({ ...start, ...end })),
  },
  {
    name: 'merge of the halves: Object.assign({}, start, end)',
    perRecord: RECORDS,
    setup: halvesAsValidated,
    run: (xs) =>
      (xs as { start: object; end: object }[]).map(({ start, end }) => Object.assign({}, start, end)),
  },
];

function main(): void {
  printHeader('server-parse', [`records per body: ${RECORDS}, rounds: ${ROUNDS}`]);
  const us: number[][] = cases.map(() => []);
  for (let r = -3; r < ROUNDS; r++) {
    const order = r % 2 ? [...cases.keys()].reverse() : [...cases.keys()];
    for (const i of order) {
      const c = cases[i] as Case;
      const input = c.setup(); // parsing mutates nothing, but inputs are fresh so no shape is reused warm
      forceGc();
      const t = performance.now();
      c.run(input);
      if (r >= 0) (us[i] as number[]).push(((performance.now() - t) * 1000) / c.perRecord);
    }
  }
  const jsonParse = median(us[0] as number[]);
  printTable(
    `CPU per record, us (median of ${ROUNDS} rounds over a body of ${RECORDS} calls)`,
    ['step', 'us/record', 'vs JSON.parse of calls/complete'],
    cases.map((c, i) => [
      c.name,
      fmt(median(us[i] as number[]), 2),
      `${fmt(median(us[i] as number[]) / jsonParse, 2)}x`,
    ]),
  );
}

main();
