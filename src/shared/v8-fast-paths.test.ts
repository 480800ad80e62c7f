import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serialize, setFlagsFromString } from 'node:v8';
import { setImmediate as turn } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { mulberry32 } from './mulberry32.js';
import {
  fastFlatten,
  fastKeepShape,
  fastOneByte,
  fastUtf8Into,
  flatten,
  keepShape,
  oneByte,
  portableFlatten,
  portableKeepShape,
  portableOneByte,
  portableUtf8Into,
  utf8Into,
} from './v8-fast-paths.js';

/** How V8 stores a string, as its serializer tags it: `"` one byte per character, `c` two. */
function storage(s: string): 'one-byte' | 'two-byte' {
  const tag = serialize(s)[2];
  assert.ok(tag === 0x22 || tag === 0x63, `unexpected tag ${tag}`);
  return tag === 0x22 ? 'one-byte' : 'two-byte';
}

/** Strings of every kind: ASCII, Latin-1, BMP, astral, lone surrogates, long, concatenated, sliced. */
function randomStrings(n: number): string[] {
  const random = mulberry32(0xfa57);
  const chars = ['a', 'Z', '"', '\\', '\u0000', '\u00e9', '\u00ff', '\u0100', '…', '😀', '\ud800', '\udfff'];
  const out: string[] = [''];
  for (let i = 0; i < n; i++) {
    let s = '';
    const len = Math.floor(random() * 60);
    for (let j = 0; j < len; j++) s += chars[Math.floor(random() * chars.length)]!;
    out.push(random() < 0.3 ? `${s}${'x'.repeat(40)}${s}` : s);
  }
  return out;
}

test('flatten: reading a character leaves the text as it was, fast or portable', () => {
  for (const s of randomStrings(300)) {
    const tree = `${s}|${s}|${'y'.repeat(20)}`; // a concatenation: a cons string in V8
    const copy = tree.split('').join('');
    assert.equal(fastFlatten(tree), copy);
    assert.equal(portableFlatten(tree), copy);
    assert.equal(flatten(tree), copy);
  }
});

test('oneByte: the same text; the fast path gives a one-byte copy of a two-byte Latin-1 string', () => {
  for (const s of randomStrings(300)) {
    assert.equal(fastOneByte(s), s);
    assert.equal(portableOneByte(s), s);
    assert.equal(oneByte(s), s);
  }
  // A slice of a string with a `…` in it stays two bytes per character although it is all ASCII.
  const twoByte = `${'"name":'.repeat(8)}…`.slice(0, 56);
  assert.equal(storage(twoByte), 'two-byte');
  assert.equal(storage(fastOneByte(twoByte)), 'one-byte');
  assert.equal(storage(oneByte(twoByte)), 'one-byte');
  assert.equal(storage(fastOneByte('…')), 'two-byte', 'a non-Latin-1 string is left as it is');
});

test('utf8Into: utf8Write and write(s, at, "utf8") write the same bytes, also when the buffer is too short', () => {
  const random = mulberry32(0x0f8);
  assert.equal(typeof (Buffer.prototype as unknown as { utf8Write?: unknown }).utf8Write, 'function');
  for (const s of randomStrings(300)) {
    const size = Math.floor(random() * (Buffer.byteLength(s) + 8));
    const at = Math.floor(random() * (size + 1));
    const [fast, portable, chosen] = [0, 1, 2].map(() => Buffer.alloc(size, 0xaa));
    const n = portableUtf8Into(portable!, s, at);
    assert.equal(fastUtf8Into(fast!, s, at), n);
    assert.equal(utf8Into(chosen!, s, at), n);
    assert.deepEqual(fast, portable);
    assert.deepEqual(chosen, portable);
    if (at + Buffer.byteLength(s) <= size)
      assert.equal(portable!.toString('utf8', at, at + n), Buffer.from(s).toString('utf8'));
  }
});

test('keepShape: the fast path keeps its instance alive through full GCs; both return the instance', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const one = { a: 1 };
  assert.equal(keepShape(one), one);
  assert.equal(portableKeepShape(one), one);
  const refs = (): [WeakRef<object>, WeakRef<object>] => [
    new WeakRef(fastKeepShape({ kept: true })),
    new WeakRef(portableKeepShape({ kept: false })),
  ];
  const [kept, free] = refs();
  // A weak target lives to the end of the job that made it: collect on later turns, until the free one goes.
  for (let i = 0; i < 20 && free.deref() !== undefined; i++) {
    await turn();
    gc();
  }
  assert.equal(free.deref(), undefined, 'an object nothing holds is collected');
  assert.deepEqual(kept.deref(), { kept: true });
});
