import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ValidationError } from '../../shared/errors.js';
import { sqlCount, sqlIdentifier, sqlNumber, sqlString, sqlStringList } from './sql-literal.js';
import { CLICKHOUSE_SKIP, TestDatabases } from './test-databases.test-helper.js';

/** Values that try to end a literal, comment out the rest of a query, or smuggle a second statement. */
const HOSTILE = [
  "'",
  "''",
  "\\'",
  "\\\\'",
  '\\',
  "x' OR 1=1 --",
  "'); DROP TABLE t; --",
  '/* comment */',
  '-- comment',
  'a;b',
  '\u0000',
  'nul\u0000inside',
  '\n\r\t\b\f\u0007\u001b\u007f',
  'é ü 中文 😀',
  '\ud83d', // a lone surrogate
  '${x}',
  '`backtick`',
  '"double"',
  '\\x41',
  '\\0',
  '',
];

describe('sqlString', () => {
  test('quotes and escapes so that a literal is one line of printable text', () => {
    for (const value of HOSTILE) {
      const sql = sqlString(value);
      assert.match(sql, /^'.*'$/s);
      // Inside the quotes: no raw quote that is not escaped, no control character.
      const inner = sql.slice(1, -1);
      assert.doesNotMatch(inner.replace(/\\./g, ''), /'/, JSON.stringify(value));
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(inner, /[\u0000-\u001f\u007f]/, JSON.stringify(value));
    }
    assert.equal(sqlString("it's"), "'it\\'s'");
    assert.equal(sqlString('a\\b'), "'a\\\\b'");
    assert.equal(sqlString('\u0000'), "'\\x00'");
  });

  test('numbers, counts, lists and identifiers', () => {
    assert.equal(sqlNumber(42), '42');
    assert.equal(sqlNumber(-3), '(-3)');
    assert.equal(sqlNumber(1.5), "toFloat64('1.5')");
    assert.throws(() => sqlNumber(Number.NaN), ValidationError);
    assert.throws(() => sqlNumber(Infinity), ValidationError);
    assert.throws(() => sqlCount(-1), ValidationError);
    assert.throws(() => sqlCount(1.5), ValidationError);
    assert.equal(sqlStringList(['a', "b'"]), "('a', 'b\\'')");
    assert.equal(sqlIdentifier('weft_1'), '`weft_1`');
    for (const bad of ['', '1a', 'a-b', 'a`b', 'a b', 'a;drop'])
      assert.throws(() => sqlIdentifier(bad), ValidationError);
  });
});

describe('sqlString against ClickHouse', { skip: CLICKHOUSE_SKIP }, () => {
  const databases = new TestDatabases();
  after(() => databases.dropAll());

  test('every hostile value reads back exactly, and matches only itself', async () => {
    for (const value of HOSTILE) {
      const expected = value === '\ud83d' ? '\ufffd' : value;
      const [row] = await databases.sql(`SELECT ${sqlString(value)} AS v, length(${sqlString(value)}) AS n`);
      assert.equal(row?.v, expected, JSON.stringify(value));
      assert.equal(Number(row?.n), Buffer.byteLength(expected), JSON.stringify(value));
      const [match] = await databases.sql(
        `SELECT count() AS n FROM (SELECT arrayJoin([${sqlString(value)}, 'other']) AS x) WHERE x = ${sqlString(value)}`,
      );
      assert.equal(Number(match?.n), 1, JSON.stringify(value));
    }
  });

  test('numbers read back as the same values', async () => {
    for (const n of [0, 7, -7, 1.5, -0.25, 1e21, 5e-7, 2 ** 53 - 1, -(2 ** 53 - 1), 0.1 + 0.2]) {
      const [row] = await databases.sql(`SELECT toFloat64(${sqlNumber(n)}) AS v`);
      assert.equal(Number(row?.v), n, String(n));
    }
  });
});
