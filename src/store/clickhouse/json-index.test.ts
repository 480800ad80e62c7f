import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { JsonKind, indexJson } from './json-index.js';

/** The node at `path`: its kind, number and raw text (cut out of the text by its byte span). */
function node(value: unknown, path: string) {
  const index = indexJson(value, 'v');
  const i = index.paths.indexOf(path);
  if (i < 0) return undefined;
  const bytes = Buffer.from(index.text ?? '');
  const off = (index.off[i] as number) - 1;
  return {
    kind: index.kinds[i],
    num: index.num[i],
    raw: bytes.subarray(off, off + (index.len[i] as number)).toString(),
  };
}

describe('indexJson', () => {
  test('the text is JSON.stringify; every node has its path, kind, number and byte span', () => {
    const value = { q: 'Alpha', n: 3, ok: true, nested: { k: 'x', list: [1, 'two', null] }, none: null };
    const index = indexJson(value, 'v');
    assert.equal(index.text, JSON.stringify(value));
    assert.deepEqual(index.paths, [
      '',
      'q',
      'n',
      'ok',
      'nested',
      'nested.k',
      'nested.list',
      'nested.list.0',
      'nested.list.1',
      'nested.list.2',
      'none',
    ]);
    assert.deepEqual(node(value, ''), { kind: JsonKind.container, num: 0, raw: JSON.stringify(value) });
    assert.deepEqual(node(value, 'q'), { kind: JsonKind.string, num: 0, raw: '"Alpha"' });
    assert.deepEqual(node(value, 'n'), { kind: JsonKind.number, num: 3, raw: '3' });
    assert.deepEqual(node(value, 'ok'), { kind: JsonKind.boolean, num: 1, raw: 'true' });
    assert.deepEqual(node(value, 'nested'), {
      kind: JsonKind.container,
      num: 0,
      raw: '{"k":"x","list":[1,"two",null]}',
    });
    assert.deepEqual(node(value, 'nested.list.1'), { kind: JsonKind.string, num: 0, raw: '"two"' });
    assert.equal(node(value, 'none')?.kind, JsonKind.null);
  });

  test('spans are in UTF-8 bytes, also after multi-byte characters', () => {
    const value = { a: 'é😀中', b: { c: 'ü' }, d: 'q"\\\n' };
    assert.equal(node(value, 'a')?.raw, '"é😀中"');
    assert.equal(node(value, 'b')?.raw, '{"c":"ü"}');
    assert.equal(node(value, 'b.c')?.raw, '"ü"');
    assert.equal(node(value, 'd')?.raw, JSON.stringify('q"\\\n'));
  });

  test('keys no query path can name are not indexed; toJSON, undefined and scalars behave as JSON does', () => {
    const index = indexJson(
      { 'a.b': 1, '0': 2, '': 3, 'q"': 4, ok: { 'x\ny': 5 }, u: undefined, d: new Date(0) },
      'v',
    );
    assert.deepEqual(index.paths, ['', 'ok', 'd']);
    assert.equal(node({ d: new Date(0) }, 'd')?.raw, '"1970-01-01T00:00:00.000Z"');
    assert.deepEqual(indexJson(null, 'v'), { text: null, paths: [], kinds: [], num: [], off: [], len: [] });
    assert.equal(indexJson(undefined, 'v').text, null);
    assert.deepEqual(node('text', ''), { kind: JsonKind.string, num: 0, raw: '"text"' });
    assert.deepEqual(node(1.5, ''), { kind: JsonKind.number, num: 1.5, raw: '1.5' });
  });

  test('a value that is not JSON is a ValidationError naming it; huge values are capped', () => {
    assert.throws(
      () => indexJson({ big: 10n }, 'parts[0].call.inputs'),
      (err) => err instanceof ValidationError && err.path === 'parts[0].call.inputs',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => indexJson(cyclic, 'x'), ValidationError);
    const capped = indexJson({ list: Array.from({ length: 100 }, (_, i) => i) }, 'v', 10);
    assert.equal(capped.paths.length, 10);
    assert.equal(capped.text, JSON.stringify({ list: Array.from({ length: 100 }, (_, i) => i) }));
  });
});
