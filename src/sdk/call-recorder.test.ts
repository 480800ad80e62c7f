import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Receiver } from '../../test/helpers/receiver.js';
import { mulberry32 } from '../shared/mulberry32.js';
import { parseRecord, type RecordKind } from '../shared/record-shape.test-suite.js';
import { withAttributes, withThread } from './call-context.js';
import { init } from './init.js';
import { op } from './op.js';
import { hostileValue } from './serialize-hostile.test-suite.js';

let r: Receiver;
before(async () => (r = await new Receiver().start()));
after(() => r.close());

const NAMES = ['plain', 'ünïcødé ✓', 'a😀b', '"quoted"\n\\', '…', '\ud800'];

test('the records of 600 fuzzed op calls (hostile values, threads, attributes, throws, nesting) match the field table', async () => {
  const client = await init({ project: 'acme/recorder', serverUrl: r.url, logger: { warn: () => {} } });
  const random = mulberry32(0xca11);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let calls = 0;
  let thrown = 0;
  const run = (depth: number): void => {
    const throws = random() < 0.25;
    // Wrapped: a hostile promise or iterator returned as such would keep its call open.
    const output = { value: hostileValue(random) };
    const child = depth < 2 && random() < 0.4;
    const traced = op(
      function fuzzed(_query: unknown, _hint: unknown): unknown {
        if (child) run(depth + 1);
        if (throws) throw pick([new Error(pick(NAMES)), pick(NAMES), output]);
        return output;
      },
      {
        name: pick(NAMES),
        eagerCallStart: random() < 0.3,
        ...(random() < 0.5 ? { callDisplayName: pick(NAMES) } : {}),
      },
    );
    const call = (): void => {
      calls++;
      try {
        traced(hostileValue(random), random() < 0.5 ? pick(NAMES) : undefined);
      } catch {
        thrown++;
      }
    };
    const scoped = random() < 0.3 ? () => withAttributes({ env: pick(NAMES), deep: { n: 1 } }, call) : call;
    if (random() < 0.3) withThread(pick(NAMES), scoped);
    else scoped();
  };
  while (calls < 600) run(0);
  const report = await client.close();
  assert.equal(report.undeliverable, 0);

  const check = (kind: RecordKind, records: Record<string, unknown>[]): Record<string, unknown>[] =>
    records.map((rec, i) => parseRecord(kind, JSON.stringify(rec), `${kind} #${i}`));
  // The records as sent (the receiver's lists fill what the writer leaves out).
  type Rec = Record<string, unknown>;
  const sent = (path: string, key: string): Rec[] =>
    r.requests
      .filter((q) => q.path.endsWith(path))
      .flatMap<Rec>((q) => (q.body as Record<string, Rec | Rec[]>)[key]!);
  const completes = check('complete', sent('/calls/complete', 'batch'));
  const starts = check('start', sent('/call/start', 'start'));
  const ends = check('end', sent('/call/end', 'end'));
  assert.equal(completes.length + starts.length, calls, 'every call recorded once');
  assert.equal(ends.length, starts.length, 'every start sent alone has its end');
  assert.ok(
    starts.length > 50 && completes.length > 50,
    `${starts.length} starts, ${completes.length} completes`,
  );
  const failed = [...completes, ...ends].filter((c) => c.exception !== null);
  assert.equal(failed.length, thrown);
  assert.ok(failed.every((c) => typeof c.exception === 'string' && c.output === null));
  assert.ok(completes.some((c) => c.thread_id !== null && c.turn_id !== null));
  assert.ok(completes.some((c) => Object.keys(c.attributes as object).length > 0));
  assert.ok(completes.some((c) => c.parent_id !== null));
});
