import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { InvalidOptionError } from '../../shared/errors.js';
import { Dataset } from './dataset.js';

describe('Dataset', () => {
  const rows = [
    { question: 'capital of France?', expected: 'Paris', meta: { level: 1, tags: ['geo'] } },
    { question: '2 + 2?', expected: '4' },
  ];

  test('the digest is sha256 (base64url) of the canonical JSON of the rows', () => {
    const ds = new Dataset({ name: 'qa-v1', rows });
    const canonical =
      '[{"expected":"Paris","meta":{"level":1,"tags":["geo"]},"question":"capital of France?"},' +
      '{"expected":"4","question":"2 + 2?"}]';
    assert.equal(ds.digest, createHash('sha256').update(canonical).digest('base64url'));
    assert.match(ds.digest, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(ds.toRef(), { name: 'qa-v1', row_count: 2, digest: ds.digest });
    assert.equal(ds.length, 2);
  });

  test('same rows give the same digest, whatever the key order, the name or the object identity', () => {
    const a = new Dataset({ name: 'a', rows });
    const b = new Dataset({
      name: 'b',
      rows: [
        { meta: { tags: ['geo'], level: 1 }, expected: 'Paris', question: 'capital of France?' },
        { expected: '4', question: '2 + 2?' },
      ],
    });
    assert.equal(a.digest, b.digest);
    assert.equal(a.digest, new Dataset({ name: 'a', rows: structuredClone(rows) }).digest);
  });

  test('different rows, or the same rows in another order, give another digest', () => {
    const base = new Dataset({ name: 'x', rows }).digest;
    assert.notEqual(new Dataset({ name: 'x', rows: [...rows].reverse() }).digest, base);
    assert.notEqual(
      new Dataset({ name: 'x', rows: [rows[0]!, { ...rows[1]!, expected: '5' }] }).digest,
      base,
    );
    assert.notEqual(new Dataset({ name: 'x', rows: rows.slice(0, 1) }).digest, base);
  });

  test('the rows array is snapshotted', () => {
    const mutable = [...rows];
    const ds = new Dataset({ name: 'x', rows: mutable });
    mutable.push({ question: 'more', expected: 'rows' });
    assert.equal(ds.length, 2);
    assert.ok(Object.isFrozen(ds.rows));
  });

  test('invalid options throw an InvalidOptionError naming the option', () => {
    const bad = (options: unknown, option: string): void => {
      assert.throws(
        () => new Dataset(options as ConstructorParameters<typeof Dataset>[0]),
        (e: unknown) => e instanceof InvalidOptionError && e.option === option,
      );
    };
    bad({ name: '', rows: [] }, 'name');
    bad({ rows: [] }, 'name');
    bad({ name: 'x', rows: 'nope' }, 'rows');
    bad({ name: 'x', rows: [{ ok: 1 }, 'text'] }, 'rows[1]');
    bad({ name: 'x', rows: [[1, 2]] }, 'rows[0]');
    bad({ name: 'x', rows: [{ n: 1n }] }, 'rows');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    bad({ name: 'x', rows: [cyclic] }, 'rows');
  });
});
