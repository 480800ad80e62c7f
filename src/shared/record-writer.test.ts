import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALL_FIELDS } from './call-field-table.js';
import { mulberry32 } from './mulberry32.js';
import { NOT_WRITTEN, parseRecord, RECORD_KEYS, type RecordKind } from './record-shape.test-suite.js';
import {
  endedAtOutputExceptionMembers,
  idTraceIdParentIdMembers,
  opNameMembers,
  projectIdOpen,
  startedAtAttributesInputsMembers,
  summaryMemberClose,
} from './record-writer.js';
import { microsToIso } from './time.js';
import { newStartHalf, type StartHalf } from '../pipeline/call-halves.js';
import { PairingBuffer, type Outgoing } from '../pipeline/pairing-buffer.js';
import { uuidv7 } from '../sdk/uuid-v7.js';

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const STRINGS = [
  '',
  'plain',
  'ünïcødé ✓',
  'a😀b',
  '\ud800',
  'x\udc00',
  '"quoted"\n\\',
  '…',
  '\u0000\u001f',
  '}',
];
const maybe = (random: Random): string | undefined => (random() < 0.4 ? undefined : pick(random, STRINGS));
const JSON_VALUES = [{}, { a: 1 }, [1, 'two', null], 'text', 3.5, null, true, { '"k"': { nested: '…' } }];

/** A fuzzed call: what its record must hold, and the writer's start and end halves for it. */
interface FuzzCall {
  expected: Record<string, unknown>;
  half: StartHalf;
  endJson: string;
}

function fuzzCall(random: Random, projectId: string): FuzzCall {
  const us = 1_780_000_000_000_000 + Math.floor(random() * 1e12);
  const id = uuidv7(Math.floor(us / 1000));
  const root = random() < 0.4;
  const traceId = root ? id : uuidv7();
  const parentId = root ? undefined : uuidv7();
  const opName = pick(random, STRINGS) || 'op';
  const [displayName, threadId, turnId] = [maybe(random), maybe(random), maybe(random)];
  const startedAt = microsToIso(us);
  const endedAt = microsToIso(us + Math.floor(random() * 1e7));
  const attributes = random() < 0.5 ? undefined : { env: pick(random, STRINGS), n: Math.floor(random() * 9) };
  const inputs = { q: pick(random, JSON_VALUES), s: pick(random, STRINGS) };
  const failed = random() < 0.3;
  const output = failed ? null : pick(random, JSON_VALUES);
  const exception = failed ? pick(random, STRINGS) : undefined;
  const [success, error] =
    random() < 0.5 ? (failed ? [0, 1] : [1, 0]) : [Math.floor(random() * 5), 1 + Math.floor(random() * 5)];
  const usage = random() < 0.3 ? { 'gpt-4o': { prompt_tokens: 3, completion_tokens: 4 } } : undefined;

  const openJson =
    projectIdOpen(projectId) +
    idTraceIdParentIdMembers(id, traceId, parentId) +
    opNameMembers(opName, displayName, threadId, turnId) +
    startedAtAttributesInputsMembers(
      startedAt,
      attributes && JSON.stringify(attributes),
      JSON.stringify(inputs),
    );
  const endJson =
    endedAtOutputExceptionMembers(endedAt, JSON.stringify(output), exception) +
    summaryMemberClose(success, error, usage && JSON.stringify(usage));
  const expected = {
    project_id: projectId,
    id,
    trace_id: traceId,
    parent_id: parentId ?? null,
    op_name: opName,
    display_name: displayName ?? null,
    thread_id: threadId ?? null,
    turn_id: turnId ?? null,
    started_at: startedAt,
    attributes: attributes ?? {},
    inputs,
    ended_at: endedAt,
    output,
    exception: exception ?? null,
    summary: { status_counts: { success, error }, ...(usage ? { usage } : {}) },
  };
  return { expected, half: newStartHalf(id, traceId, startedAt, us, openJson), endJson };
}

/** The fields a record of `kind` holds, taken from what the whole call holds. */
function expectedOf(kind: RecordKind, call: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(RECORD_KEYS[kind].map((k) => [k, call[k]]));
}

test('the fields the writer leaves out are optional on the wire', () => {
  for (const name of NOT_WRITTEN) {
    const spec = CALL_FIELDS.find((f) => f.name === name);
    assert.ok(spec && 'wire' in spec && (spec.wire === 'nullableString' || spec.wire === 'integer'), name);
  }
});

test('every record kind (start, end, complete, merged) parses to its fields, for 2 000 fuzzed calls', () => {
  const random = mulberry32(0x7ec0);
  const pairing = new PairingBuffer(10_000);
  const seen = { start: 0, end: 0, complete: 0, merged: 0 };
  for (let i = 0; i < 2_000; i++) {
    const projectId = pick(random, ['acme/app', 'ünï/✓', 'a"b\\c']);
    const { expected, half, endJson } = fuzzCall(random, projectId);
    const at = `call #${i}`;
    const check = (out: Outgoing | undefined, kind: RecordKind): void => {
      assert.ok(out, at);
      assert.equal(out.kind, kind, at);
      assert.deepEqual(parseRecord(kind, out.json, at), expectedOf(kind, expected), at);
    };
    const path = pick(random, ['eager', 'held', 'early'] as const);
    if (path === 'eager') {
      check(pairing.start(half, true), 'start');
      check(pairing.endOf(half, endJson, projectId), 'end');
      seen.start++;
      seen.end++;
    } else if (path === 'held') {
      assert.equal(pairing.start(half, false), undefined, at);
      check(pairing.endOf(half, endJson, projectId), 'complete');
      seen.complete++;
    } else {
      // The end comes first and waits; its start merges with it.
      assert.equal(pairing.endOf(half, endJson, projectId), undefined, at);
      check(pairing.start(half, false), 'complete');
      seen.merged++;
    }
    assert.equal(half.openJson, '', `${at}: the start half let go of its JSON`);
  }
  assert.ok(
    Object.values(seen).every((n) => n > 100),
    JSON.stringify(seen),
  );
  assert.equal(pairing.isEmpty(), true);
});
