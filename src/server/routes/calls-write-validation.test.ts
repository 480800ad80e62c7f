import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import { completeCall, createTestApp, endedCall, startedCall, uid } from '../test-app.test-helper.js';

/**
 * Input the call write routes used to change silently (an impossible date stored as another day, `1e400`
 * stored as null, a usage model named `__proto__` dropped) or refuse naming an internal field
 * (`parts[1].startedAtUs`). Each refusal must be a 400 whose `field` is a path that exists in the
 * request's JSON, and nothing of the request may be written.
 */

const t = createTestApp();
after(() => t.close());

function project(): string {
  return `acme/${uid('p')}`;
}

async function count(projectId: string): Promise<number> {
  const res = await t.post('/calls/query_stats', { project_id: projectId });
  assert.equal(res.status, 200);
  return ((await res.json()) as { count: number }).count;
}

/** The value at `field` (`batch[1].req.start.inputs`) of `body`, or a failed assertion if there is none. */
function at(body: unknown, field: string): unknown {
  let node = body;
  for (const segment of field.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const key = segment.startsWith('[') ? Number(segment.slice(1, -1)) : segment;
    assert.ok(typeof node === 'object' && node !== null && Object.hasOwn(node, key), `${field} not in body`);
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/**
 * POSTs `body` (each `"INF"` in it sent as the literal `1e400`) and asserts a 400 whose `field` is
 * `field`, a path that exists in the body, with an error matching `message`.
 */
async function assertRefused(path: string, body: unknown, field: string, message: RegExp): Promise<void> {
  const text = JSON.stringify(body).replaceAll('"INF"', '1e400');
  const res = await t.post(path, text);
  const answer = (await res.json()) as { error: string; field: string };
  assert.equal(res.status, 400, `${path} ${JSON.stringify(answer)}`);
  assert.equal(answer.field, field, answer.error);
  assert.ok(answer.error.startsWith(`${field}: `), answer.error);
  assert.match(answer.error, message);
  at(body, field);
}

type Half = 'start' | 'end';

/**
 * One request per write route carrying `patch` in its second call (or its only one), for the routes
 * whose records have a field of `half`; with the path of that call in the body. The first call of a
 * batch is valid, so a refusal proves the whole batch is refused.
 */
function writes(
  p: string,
  half: Half | 'v2-end',
  patch: Record<string, unknown>,
): [string, unknown, string][] {
  const id = uid();
  const start = () => ({ ...startedCall({ project_id: p, id }), ...patch });
  const end = () => ({ ...endedCall({ project_id: p, id }), ...patch });
  const complete = {
    batch: [completeCall({ project_id: p }), { ...completeCall({ project_id: p, id }), ...patch }],
  };
  if (half === 'v2-end') return [[`/v2/${p}/call/end`, { end: { ...end(), trace_id: 't' } }, 'end']];
  const upsert = (mode: Half) => ({
    batch: [
      { mode: 'start', req: { start: startedCall({ project_id: p }) } },
      { mode, req: { [mode]: mode === 'start' ? start() : end() } },
    ],
  });
  return [
    [`/v2/${p}/calls/complete`, complete, 'batch[1]'],
    [`/call/${half}`, { [half]: half === 'start' ? start() : end() }, half],
    [`/v2/${p}/call/${half}`, { [half]: half === 'start' ? start() : end() }, half],
    ['/call/upsert_batch', upsert(half), `batch[1].req.${half}`],
  ];
}

const TIME_FIELDS: [Half | 'v2-end', string][] = [
  ['start', 'started_at'],
  ['end', 'ended_at'],
  ['v2-end', 'started_at'],
];

describe('impossible times', () => {
  test('2026-02-30 (stored as March 2), 2025-02-29, 2026-13-01, 24:00, 23:60 and second 60 are a 400 on every route and time field; nothing written', async () => {
    const p = project();
    const bad = [
      '2026-02-30T10:00:00.000Z',
      '2026-02-30T10:00:00.123456Z', // the SDK's canonical form takes the fast path
      '2025-02-29T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-01-31T24:00:00Z',
      '2026-01-31T24:00:00.000000Z',
      '2026-01-31T23:60:00Z',
      '2026-01-31T23:59:60Z',
      '2026-01-31T23:59:60.000000Z',
      '2026-01-31T12:00:00+24:00',
    ];
    for (const [half, key] of TIME_FIELDS) {
      for (const time of bad) {
        for (const [path, body, item] of writes(p, half, { [key]: time })) {
          await assertRefused(path, body, `${item}.${key}`, /expected an ISO-8601 time .*a real date/);
        }
      }
    }
    assert.equal(await count(p), 0);
  });

  test('a canonical time on a day after an impossible one is still refused (the fast path caches no bad day)', async () => {
    const p = project();
    for (const time of ['2026-02-30T10:00:00.000000Z', '2026-02-30T10:00:01.000000Z']) {
      const [[path, body, item]] = writes(p, 'start', { started_at: time }) as [[string, unknown, string]];
      await assertRefused(path, body, `${item}.started_at`, /a real date/);
    }
    assert.equal(await count(p), 0);
  });

  test('a time after 2255 or before 1684 is a 400 at batch[1].started_at, not parts[1].startedAtUs', async () => {
    const p = project();
    for (const [half, key] of TIME_FIELDS) {
      for (const time of ['2300-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '0001-01-01T00:00:00Z']) {
        for (const [path, body, item] of writes(p, half, { [key]: time })) {
          await assertRefused(path, body, `${item}.${key}`, /must be between 1684-07-28 and 2255-06-05/);
        }
      }
    }
    assert.equal(await count(p), 0);
  });

  test('real edge times are stored as the instants sent: 29 February of a leap year, 23:59:59.999999, offsets', async () => {
    const p = project();
    const times: [string, string][] = [
      ['2024-02-29T23:59:59.999999Z', '2024-02-29T23:59:59.999999Z'],
      ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000000Z'],
      ['2026-03-01T05:30:00+05:30', '2026-03-01T00:00:00.000000Z'],
      ['2026-12-31T23:00:00-01:00', '2027-01-01T00:00:00.000000Z'],
      ['2255-06-05T23:47:34.740991Z', '2255-06-05T23:47:34.740991Z'],
      ['1684-07-28T00:12:25.259009Z', '1684-07-28T00:12:25.259009Z'],
    ];
    const batch = times.map(([sent]) => completeCall({ project_id: p, started_at: sent, ended_at: sent }));
    assert.equal((await t.post(`/v2/${p}/calls/complete`, { batch })).status, 200);
    for (const [i, [, stored]] of times.entries()) {
      const res = await t.post('/call/read', { project_id: p, id: batch[i]?.id });
      const { call } = (await res.json()) as { call: CallRecord };
      assert.deepEqual([call.started_at, call.ended_at], [stored, stored], times[i]?.[0]);
    }
  });
});

describe('non-finite numbers', () => {
  test('1e400 (Infinity, stored as null) in inputs, attributes, output or summary is a 400 naming the field on every route; nothing written', async () => {
    const p = project();
    const fields: [Half, string, unknown][] = [
      ['start', 'inputs', { a: [1, 'INF'] }],
      ['start', 'attributes', { weave: { x: 'INF' } }],
      ['end', 'output', 'INF'],
      ['end', 'output', { nested: { n: 'INF' } }],
      ['end', 'summary', { custom: 'INF' }],
      ['end', 'summary', { usage: { 'gpt-4o': { prompt_tokens: 'INF' } } }],
    ];
    for (const [half, key, value] of fields) {
      for (const [path, body, item] of writes(p, half, { [key]: value })) {
        await assertRefused(path, body, `${item}.${key}`, /finite number.*Infinity/);
      }
    }
    assert.equal(await count(p), 0);
  });

  test('-1e400 is refused too, and the message names the place inside the value', async () => {
    const p = project();
    const body = { batch: [completeCall({ project_id: p, inputs: { list: [0, { deep: 'INF' }] } })] };
    const text = JSON.stringify(body).replace('"INF"', '-1e400');
    const res = await t.post(`/v2/${p}/calls/complete`, text);
    assert.equal(res.status, 400);
    const answer = (await res.json()) as { error: string; field: string };
    assert.equal(answer.field, 'batch[0].inputs');
    assert.match(answer.error, /\(at \.list\[1\]\.deep\); got -Infinity/);
    assert.equal(await count(p), 0);
  });
});

describe('__proto__ keys', () => {
  test('a usage model named __proto__ (dropped) is stored and read back via /calls/query', async () => {
    const p = project();
    const call = completeCall({ project_id: p });
    const usage = `{"__proto__":{"prompt_tokens":3,"extra":"x"},"gpt-4o":{"prompt_tokens":1}}`;
    const text = `{"batch":[${JSON.stringify(call).slice(0, -1)},"summary":{"usage":${usage}}}]}`;
    assert.equal((await t.post(`/v2/${p}/calls/complete`, text)).status, 200);
    const res = await t.post('/calls/query', { project_id: p });
    assert.equal(res.status, 200);
    const { calls } = (await res.json()) as { calls: CallRecord[] };
    assert.equal(calls.length, 1);
    const stored = calls[0]?.summary?.usage ?? {};
    assert.deepEqual(Object.keys(stored), ['__proto__', 'gpt-4o']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(stored, '__proto__')?.value, {
      prompt_tokens: 3,
      extra: 'x',
    });
  });
});
