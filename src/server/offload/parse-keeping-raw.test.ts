import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawJson } from '../../shared/raw-json.js';
import { parseJsonObject } from '../read-body.js';
import { parseKeepingRaw } from './parse-keeping-raw.js';

const MIN = 64; // bytes from which a value is kept, small for the tests
const big = { text: 'x'.repeat(100), list: [1, 2, { é: 'ü' }] };
const call = (extra: object = {}) => ({ id: 'c1', project_id: 'a/b', inputs: big, output: big, ...extra });

/** The body as the usual parse gives it, kept values turned back into values. */
function materialised(value: unknown): unknown {
  if (value instanceof RawJson) return JSON.parse(value.buffer().toString('utf8'));
  if (Array.isArray(value)) return value.map(materialised);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialised(v)]));
  }
  return value;
}

const kept = (value: unknown): number =>
  value instanceof RawJson
    ? 1
    : typeof value === 'object' && value !== null
      ? Object.values(value).reduce((n: number, v) => n + kept(v), 0)
      : 0;

const parse = (body: unknown) =>
  parseKeepingRaw(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), MIN);

test('large call values of every write route are kept as their text; the body is otherwise the same', () => {
  const bodies = [
    { batch: [call(), call({ id: 'c2' })] },
    { start: call() },
    { end: call() },
    {
      batch: [
        { mode: 'start', req: { start: call() } },
        { mode: 'end', req: { end: call() } },
      ],
    },
  ];
  for (const body of bodies) {
    const parsed = parse(body);
    assert.ok(kept(parsed) >= 2, JSON.stringify(Object.keys(body)));
    assert.deepEqual(materialised(parsed), body);
    const first = (body as { batch?: unknown[] }).batch ? 'batch' : Object.keys(body)[0];
    assert.ok(first);
  }
  const parsed = parse({ batch: [call()] }) as { batch: { inputs: unknown; id: unknown }[] };
  assert.ok(parsed.batch[0]!.inputs instanceof RawJson);
  assert.equal(parsed.batch[0]!.id, 'c1');
  assert.equal((parsed.batch[0]!.inputs as RawJson).buffer().toString(), JSON.stringify(big));
});

test('small values, values elsewhere and non-canonical values are parsed as usual', () => {
  const cases: unknown[] = [
    { batch: [{ id: 'c', inputs: { a: 1 } }] }, // small
    { batch: [{ id: 'c', summary: big }] }, // not a kept field
    { other: { inputs: big } }, // not where calls are
    { batch: [{ id: 'c', inputs: [big] }] }, // inputs must be an object
    { batch: [{ id: 'c', output: { inputs: big, x: ' '.repeat(80) } }] }, // kept whole, never inside
  ];
  for (const body of cases.slice(0, 4)) {
    const parsed = parse(body);
    assert.equal(kept(parsed), 0, JSON.stringify(body).slice(0, 60));
    assert.deepEqual(parsed, body);
  }
  const whole = parse(cases[4]) as { batch: { output: unknown }[] };
  assert.ok(whole.batch[0]!.output instanceof RawJson);
  const pretty = JSON.stringify({ batch: [call()] }, null, 2);
  assert.equal(kept(parse(pretty)), 0);
  assert.deepEqual(parse(pretty), JSON.parse(pretty));
  // A value the usual check refuses (1e400) is left to it: parsed, so it sees Infinity.
  const infinite = `{"batch":[{"id":"c","inputs":{"n":1e400,"pad":"${'x'.repeat(100)}"}}]}`;
  assert.equal((parse(infinite) as { batch: { inputs: { n: number } }[] }).batch[0]!.inputs.n, Infinity);
});

test('duplicate keys and malformed bodies give what the usual parse gives', () => {
  const inputs = JSON.stringify(big);
  const duplicate = `{"batch":[{"id":"c","inputs":${inputs},"inputs":{"small":1}}]}`;
  assert.deepEqual(parse(duplicate), JSON.parse(duplicate));
  const duplicateBatch = `{"batch":[{"id":"c","inputs":${inputs}}],"batch":[]}`;
  assert.deepEqual(parse(duplicateBatch), { batch: [] });
  for (const bad of [
    `{"batch":[{"inputs":${inputs}}]`,
    `{"batch":[{"inputs":${inputs}},]}`,
    `[{"inputs":${inputs}}]`,
  ]) {
    const usual = (() => {
      try {
        parseJsonObject(Buffer.from(bad));
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    assert.throws(
      () => parse(bad),
      (err: Error) => err.message === usual,
      bad.slice(-20),
    );
  }
});

test('a kept value gives its head without decoding all of it', () => {
  const raw = new RawJson(Buffer.from(JSON.stringify({ s: '😀é'.repeat(5000) })));
  const head = raw.head(1000);
  assert.equal([...head].length, 1000);
  assert.ok(JSON.stringify({ s: '😀é'.repeat(5000) }).startsWith(head));
  assert.equal(new RawJson(Buffer.from('"ab"')).head(1000), '"ab"');
});

test('a body with one byte changed anywhere: the same value or the same error as the usual parse', () => {
  const body = JSON.stringify({ batch: [call(), { id: 'c2', output: ['x'.repeat(80), { a: '\\"' }] }] });
  const bytes = [...'{}[]",:\\ 0ax'].map((c) => c.charCodeAt(0));
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  let kepts = 0;
  for (let i = 0; i < 2000; i++) {
    const mutated = Buffer.from(body);
    mutated[rand(mutated.length)] = bytes[rand(bytes.length)]!;
    let usual: unknown;
    try {
      usual = parseJsonObject(Buffer.from(mutated));
    } catch (err) {
      usual = err;
    }
    if (usual instanceof Error) {
      assert.throws(() => parseKeepingRaw(Buffer.from(mutated), MIN), { message: usual.message });
    } else {
      const parsed = parseKeepingRaw(Buffer.from(mutated), MIN);
      kepts += kept(parsed);
      assert.deepEqual(materialised(parsed), usual, mutated.toString());
    }
  }
  assert.ok(kepts > 100, `values kept in ${kepts} valid mutations`);
});
