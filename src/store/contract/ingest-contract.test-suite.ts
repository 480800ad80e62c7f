import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallRecord } from '../../shared/call-types.js';
import { microsToIso } from '../../shared/time.js';
import type { CallPart, TraceStore } from '../trace-store.js';
import type { EndOptions, StartOptions } from './contract-fixtures.test-suite.js';
import {
  T0,
  completePart,
  endPart,
  expectedRecord,
  startPart,
  uniqueProject,
} from './contract-fixtures.test-suite.js';

/** Ingest: convergence in every order, all-or-nothing batches, status derivation, read-back. */
export function ingestContract(open: () => Promise<TraceStore>): void {
  describe('ingest', () => {
    let store: TraceStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    const s: StartOptions = {
      trace_id: 'T',
      op_name: 'weave:///e/p/op/answer:abc',
      display_name: 'Answer',
      thread_id: 'th',
      turn_id: 'tu',
      startedAtUs: T0 + 123_456,
      attributes: { env: 'test', weave: { client: 'x' } },
      inputs: { question: 'Why?', nested: { n: 3, list: [1, 'two'] } },
      wb_user_id: 'u1',
      wb_run_id: 'r1',
    };
    const e: EndOptions = {
      endedAtUs: T0 + 987_654,
      output: { answer: 'Because.', tokens: [1, 2] },
      summary: { usage: { 'gpt-4o': { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } } },
    };

    /** All orderings of a list. */
    function permutations<T>(items: T[]): T[][] {
      if (items.length <= 1) return [items];
      return items.flatMap((item, i) =>
        permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );
    }

    async function reference(): Promise<CallRecord> {
      const project = uniqueProject();
      await store.ingest([startPart(project, 'c', s)]);
      await store.ingest([endPart(project, 'c', e)]);
      const call = await store.readCall(project, 'c');
      assert.ok(call);
      return call;
    }

    test('start then end reads back every field, with microsecond times', async () => {
      const call = await reference();
      assert.deepEqual(call, {
        project_id: call.project_id,
        id: 'c',
        trace_id: 'T',
        parent_id: null,
        op_name: 'weave:///e/p/op/answer:abc',
        display_name: 'Answer',
        thread_id: 'th',
        turn_id: 'tu',
        started_at: microsToIso(T0 + 123_456),
        ended_at: microsToIso(T0 + 987_654),
        attributes: { env: 'test', weave: { client: 'x' } },
        inputs: { question: 'Why?', nested: { n: 3, list: [1, 'two'] } },
        output: { answer: 'Because.', tokens: [1, 2] },
        exception: null,
        summary: { usage: { 'gpt-4o': { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } } },
        wb_user_id: 'u1',
        wb_run_id: 'r1',
        status: 'success',
      });
    });

    test('every order of start, end, complete and re-sent halves converges, in one batch or many', async () => {
      const ref = await reference();
      type Kind = 'start' | 'end' | 'complete';
      const make = (project: string, kind: Kind): CallPart =>
        kind === 'start'
          ? startPart(project, 'c', s)
          : kind === 'end'
            ? endPart(project, 'c', e)
            : completePart(project, 'c', s, e);
      const scenarios = [
        ...permutations<Kind>(['start', 'end']),
        ...permutations<Kind>(['start', 'end', 'complete']),
        ['start', 'start', 'end', 'end'],
        ['end', 'end', 'start', 'start'],
        ['complete', 'complete'],
        ['start', 'complete'],
        ['end', 'complete', 'start'],
      ] as Kind[][];
      for (const scenario of scenarios) {
        for (const batched of [true, false]) {
          const project = uniqueProject();
          const parts = scenario.map((kind) => make(project, kind));
          if (batched) await store.ingest(parts);
          else for (const part of parts) await store.ingest([part]);
          const call = await store.readCall(project, 'c');
          assert.deepEqual(call, { ...ref, project_id: project }, `${scenario.join(',')} batched=${batched}`);
          assert.equal(await store.countCalls({ project_id: project }), 1);
        }
      }
    });

    test('a re-sent start keeps the end, a re-sent end keeps the start', async () => {
      const project = uniqueProject();
      await store.ingest([startPart(project, 'c', s), endPart(project, 'c', e)]);
      await store.ingest([startPart(project, 'c', { ...s, inputs: { question: 'again' } })]);
      await store.ingest([endPart(project, 'c', { ...e, output: 'second' })]);
      const call = await store.readCall(project, 'c');
      assert.equal(call?.status, 'success');
      assert.deepEqual(call?.inputs, { question: 'again' });
      assert.equal(call?.output, 'second');
      assert.equal(call?.display_name, 'Answer');
    });

    test('status is derived: running, success, error, missing_start', async () => {
      const project = uniqueProject();
      await store.ingest([
        startPart(project, 'running'),
        completePart(project, 'ok'),
        startPart(project, 'failed'),
        endPart(project, 'failed', { exception: 'ValueError: boom' }),
        endPart(project, 'orphan'),
      ]);
      const status = async (id: string) => (await store.readCall(project, id))?.status;
      assert.equal(await status('running'), 'running');
      assert.equal(await status('ok'), 'success');
      assert.equal(await status('failed'), 'error');
      assert.equal(await status('orphan'), 'missing_start');
      const running = await store.readCall(project, 'running');
      assert.equal(running?.ended_at, null);
      assert.equal(running?.output, null);
      assert.equal(running?.summary, null);
      const orphan = await store.readCall(project, 'orphan');
      assert.equal(orphan?.op_name, null);
      assert.equal(orphan?.started_at, null);
      assert.equal(orphan?.inputs, null);
    });

    test('a v2 end fills trace_id and started_at of an orphan, never overriding a real start', async () => {
      const project = uniqueProject();
      const v2 = { trace_id: 'from-end', startedAtUs: T0 + 5 };
      await store.ingest([endPart(project, 'a', v2)]);
      const orphan = await store.readCall(project, 'a');
      assert.equal(orphan?.trace_id, 'from-end');
      assert.equal(orphan?.started_at, microsToIso(T0 + 5));
      assert.equal(orphan?.status, 'missing_start');
      await store.ingest([startPart(project, 'a', { trace_id: 'real', startedAtUs: T0 + 7 })]);
      const healed = await store.readCall(project, 'a');
      assert.equal(healed?.trace_id, 'real');
      assert.equal(healed?.started_at, microsToIso(T0 + 7));
      assert.equal(healed?.status, 'success');
      await store.ingest([
        startPart(project, 'b', { trace_id: 'real', startedAtUs: T0 + 7 }),
        endPart(project, 'b', v2),
      ]);
      assert.equal((await store.readCall(project, 'b'))?.trace_id, 'real');
      assert.equal((await store.readCall(project, 'b'))?.started_at, microsToIso(T0 + 7));
    });

    test('output of any JSON type reads back as sent', async () => {
      const project = uniqueProject();
      const outputs: unknown[] = ['text', 42, 1.5, true, [1, { a: null }], { deep: { x: [] } }];
      await store.ingest(outputs.map((output, i) => completePart(project, `o${i}`, {}, { output })));
      for (const [i, output] of outputs.entries()) {
        assert.deepEqual((await store.readCall(project, `o${i}`))?.output, output);
      }
      await store.ingest([completePart(project, 'none', {}, {})]);
      assert.equal((await store.readCall(project, 'none'))?.output, null);
    });

    test('a batch with a failing part writes nothing', async () => {
      const project = uniqueProject();
      await store.ingest([startPart(project, 'existing', { inputs: { v: 1 } })]);
      const bad = startPart(project, 'bad', { inputs: { big: 10n as unknown as number } });
      await assert.rejects(
        store.ingest([
          startPart(project, 'fresh'),
          endPart(project, 'existing', { output: 'changed' }),
          startPart(project, 'existing', { inputs: { v: 2 } }),
          bad,
        ]),
      );
      assert.equal(await store.readCall(project, 'fresh'), null);
      assert.equal(await store.readCall(project, 'bad'), null);
      const existing = await store.readCall(project, 'existing');
      assert.equal(existing?.status, 'running');
      assert.deepEqual(existing?.inputs, { v: 1 });
      assert.equal(await store.countCalls({ project_id: project }), 1);
    });

    test('an empty batch is accepted and writes nothing', async () => {
      const project = uniqueProject();
      await store.ingest([]);
      assert.equal(await store.countCalls({ project_id: project }), 0);
    });

    test('readCall of an unknown id, or of another project, is null', async () => {
      const project = uniqueProject();
      await store.ingest([completePart(project, 'x')]);
      assert.equal(await store.readCall(project, 'nope'), null);
      assert.equal(await store.readCall(uniqueProject(), 'x'), null);
      assert.deepEqual(
        await store.readCall(project, 'x').then((c) => ({ id: c?.id, trace_id: c?.trace_id })),
        { id: 'x', trace_id: expectedRecord(project, 'x', {}, {}).trace_id },
      );
    });
  });
}
