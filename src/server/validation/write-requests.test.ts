import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { completeCall, endedCall, startedCall } from '../test-app.test-helper.js';
import {
  parseCompleteBatch,
  parseEndRequest,
  parseStartRequest,
  parseUpsertBatch,
} from './write-requests.js';

/** Asserts that `fn` throws a ValidationError at `path` whose message matches `message`. */
function assertInvalid(fn: () => unknown, path: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
    assert.equal(err.path, path);
    assert.ok(err.message.startsWith(`${path}: `), err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('parseCompleteBatch', () => {
  test('turns a batch into complete parts with microsecond times', () => {
    const parts = parseCompleteBatch({ batch: [completeCall({ id: 'a' }), completeCall({ id: 'b' })] });
    assert.equal(parts.length, 2);
    const [a] = parts;
    assert.equal(a?.kind, 'complete');
    assert.equal(a?.startedAtUs, Date.parse('2026-01-31T12:00:00.000Z') * 1000);
    assert.equal(a?.kind === 'complete' && a.endedAtUs, Date.parse('2026-01-31T12:00:01.500Z') * 1000);
  });

  test('accepts any ISO precision, Z or offsets', () => {
    const times = [
      '2026-01-31T12:00:00Z',
      '2026-01-31T12:00:00.123456Z',
      '2026-01-31T13:00:00.1+01:00',
      '2026-01-31T07:00:00-0500',
    ];
    const parts = parseCompleteBatch({
      batch: times.map((t) => completeCall({ started_at: t, ended_at: t })),
    });
    assert.deepEqual(
      parts.map((p) => (p.startedAtUs ?? 0) - Date.parse('2026-01-31T12:00:00Z') * 1000),
      [0, 123456, 100000, 0],
    );
  });

  test('fills project_id from the v2 path and refuses a different one', () => {
    const { project_id: _omit, ...call } = completeCall();
    const [part] = parseCompleteBatch({ batch: [call] }, 'acme/chatbot');
    assert.equal(part?.call.project_id, 'acme/chatbot');
    assertInvalid(
      () =>
        parseCompleteBatch(
          { batch: [completeCall(), completeCall({ project_id: 'other/proj' })] },
          'acme/chatbot',
        ),
      'batch[1].project_id',
      /does not match the project in the URL path/,
    );
  });

  test('defaults attributes, inputs and summary to {} and keeps only known fields', () => {
    const call = { ...completeCall(), attributes: undefined, inputs: null, summary: undefined, junk: 1 };
    const [part] = parseCompleteBatch({ batch: [call] });
    assert.deepEqual(
      part?.kind === 'complete' && [part.call.attributes, part.call.inputs, part.call.summary],
      [{}, {}, {}],
    );
    assert.equal('junk' in (part?.call ?? {}), false);
  });

  test('names the item index and field of the first bad item', () => {
    const batch = Array.from({ length: 5 }, () => completeCall());
    batch[3] = { ...completeCall(), started_at: 'yesterday' };
    assertInvalid(() => parseCompleteBatch({ batch }), 'batch[3].started_at', /ISO-8601/);
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing id', { id: undefined }, 'batch[0].id', /is required/],
    ['empty id', { id: '' }, 'batch[0].id', /must not be empty/],
    ['numeric id', { id: 7 }, 'batch[0].id', /expected a string, got the number 7/],
    ['missing trace_id', { trace_id: undefined }, 'batch[0].trace_id', /is required/],
    ['missing op_name', { op_name: null }, 'batch[0].op_name', /is required/],
    ['missing started_at', { started_at: undefined }, 'batch[0].started_at', /is required/],
    ['missing ended_at', { ended_at: undefined }, 'batch[0].ended_at', /is required/],
    ['bad project_id', { project_id: 'no-slash' }, 'batch[0].project_id', /entity\/project/],
    ['array inputs', { inputs: [1, 2] }, 'batch[0].inputs', /expected an object, got an array/],
    ['string attributes', { attributes: 'x' }, 'batch[0].attributes', /expected an object/],
    ['string summary', { summary: 'x' }, 'batch[0].summary', /expected an object/],
    ['object exception', { exception: { message: 'x' } }, 'batch[0].exception', /string or null/],
    [
      'bad usage counter',
      { summary: { usage: { m: { prompt_tokens: '3' } } } },
      'batch[0].summary.usage.m.prompt_tokens',
      /number/,
    ],
    ['fractional run step', { wb_run_step: 1.5 }, 'batch[0].wb_run_step', /integer/],
  ];
  for (const [name, patch, path, message] of cases) {
    test(`refuses ${name}`, () => {
      assertInvalid(() => parseCompleteBatch({ batch: [{ ...completeCall(), ...patch }] }), path, message);
    });
  }

  test('refuses a body without a batch array', () => {
    assertInvalid(() => parseCompleteBatch({}), 'batch', /is required/);
    assertInvalid(() => parseCompleteBatch({ batch: {} }), 'batch', /expected an array/);
    assertInvalid(() => parseCompleteBatch({ batch: [42] }), 'batch[0]', /expected an object/);
  });

  test('keeps provider-specific usage counters and drops null standard ones', () => {
    const summary = {
      usage: {
        'gpt-4o': { prompt_tokens: 3, completion_tokens: null, prompt_tokens_details: { cached: 1 } },
      },
    };
    const [part] = parseCompleteBatch({ batch: [{ ...completeCall(), summary }] });
    // usage maps model names to counters in a null-prototype object (a model may be named __proto__)
    const stored = part?.kind === 'complete' ? JSON.parse(JSON.stringify(part.call.summary)) : null;
    assert.deepEqual(stored, {
      usage: { 'gpt-4o': { prompt_tokens: 3, prompt_tokens_details: { cached: 1 } } },
    });
  });
});

describe('parseStartRequest / parseEndRequest', () => {
  test('a start needs trace_id, op_name and started_at; an empty parent_id is a root', () => {
    const part = parseStartRequest({ start: startedCall({ id: 's', parent_id: '' as unknown as null }) });
    assert.equal(part.call.parent_id, null);
    assertInvalid(() => parseStartRequest({}), 'start', /is required/);
    assertInvalid(() => parseStartRequest({ start: { ...startedCall(), op_name: '' } }), 'start.op_name');
  });

  test('an end needs only id, project and ended_at; a v2 end may carry trace_id and started_at', () => {
    const bare = parseEndRequest({
      end: { project_id: 'acme/chatbot', id: 'e', ended_at: '2026-01-31T12:00:00Z' },
    });
    assert.deepEqual([bare.call.summary, bare.call.exception, bare.startedAtUs], [{}, null, undefined]);
    const v2 = parseEndRequest(
      {
        end: {
          ...endedCall({ id: 'e' }),
          project_id: undefined,
          trace_id: 't',
          started_at: '2026-01-31T11:00:00Z',
        },
      },
      'acme/chatbot',
    );
    assert.equal(v2.call.trace_id, 't');
    assert.equal(v2.startedAtUs, Date.parse('2026-01-31T11:00:00Z') * 1000);
    assertInvalid(
      () => parseEndRequest({ end: { ...endedCall({ id: 'e' }), ended_at: 12 } }),
      'end.ended_at',
      /string/,
    );
  });
});

describe('parseUpsertBatch', () => {
  test('reads starts and ends by mode', () => {
    const parts = parseUpsertBatch({
      batch: [
        { mode: 'start', req: { start: startedCall({ id: 'u' }) } },
        { mode: 'end', req: { end: endedCall({ id: 'u' }) } },
      ],
    });
    assert.deepEqual(
      parts.map((p) => p.kind),
      ['start', 'end'],
    );
  });

  test('names the failing item, mode and nested field', () => {
    assertInvalid(
      () => parseUpsertBatch({ batch: [{ mode: 'finish', req: {} }] }),
      'batch[0].mode',
      /"start" or "end"/,
    );
    assertInvalid(
      () => parseUpsertBatch({ batch: [{ mode: 'end', req: { start: {} } }] }),
      'batch[0].req.end',
      /is required/,
    );
    const bad = { mode: 'start', req: { start: { ...startedCall(), project_id: undefined } } };
    assertInvalid(
      () => parseUpsertBatch({ batch: [{ mode: 'start', req: { start: startedCall() } }, bad] }),
      'batch[1].req.start.project_id',
      /is required/,
    );
  });
});
