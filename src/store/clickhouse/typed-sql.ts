import { sqlNumber, sqlString } from './sql-literal.js';

/**
 * Typed SQL values, so that ClickHouse (statically typed) reproduces the comparisons of SQLite
 * (dynamically typed) that the SQLite store defines: values of different types order
 * NULL < numbers < text, a comparison involving NULL is false, text columns compare with a number
 * literal as text, numeric columns with a numeric-looking text literal as numbers (SQLite's affinity).
 *
 * - `num` / `str`: a Nullable numeric / string SQL expression (a column, a literal, a conversion).
 * - `bool`: a non-null UInt8 predicate (comparisons, `$and`...).
 * - `json`: a node of a JSON value found by path (json-index.ts), whose type is only known per row.
 * - `null`: the NULL literal.
 */

/** SQLite's affinity of an operand: `text` / `numeric` for columns, `none` for literals and expressions. */
export type Affinity = 'text' | 'numeric' | 'none';

/** A JSON node: `kind` (json-index.ts JsonKind), its number, its raw JSON text. */
export interface JsonNodeSql {
  /** The JSON column the node is in. */
  column: string;
  kind: string;
  num: string;
  raw: string;
}

export type Typed =
  | { t: 'null' }
  | { t: 'bool'; sql: string }
  | { t: 'num'; sql: string; affinity: Affinity; literal?: number }
  | { t: 'str'; sql: string; affinity: Affinity; literal?: string }
  | { t: 'json'; node: JsonNodeSql };

export const TRUE_SQL = '1';
export const FALSE_SQL = '0';

/** The node at `path` of the JSON column `column` (its `_paths`, `_kinds`... arrays, see json-index.ts). */
export function jsonNode(column: string, path: string): JsonNodeSql {
  const i = `indexOf(${column}_paths, ${sqlString(path)})`;
  return {
    column,
    kind: `${column}_kinds[${i}]`,
    num: `${column}_num[${i}]`,
    raw: `substring(${column}, ${column}_off[${i}], ${column}_len[${i}])`,
  };
}

/** 0 for a missing / null node, 1 for numbers and booleans, 2 for strings, objects and arrays. */
function jsonRank(n: JsonNodeSql): string {
  return `[0, 1, 2, 2, 1][${n.kind} + 1]`;
}

/** The text form of a JSON node, as SQLite's json_extract gives it (booleans as 1 / 0); NULL if missing. */
function jsonText(n: JsonNodeSql): string {
  return (
    `multiIf(${n.kind} = 0, NULL, ${n.kind} = 2, visitParamExtractString(concat('{"v":', ${n.raw}, '}'), 'v'), ` +
    `${n.kind} = 4, if(${n.num} = 1, '1', '0'), ${n.raw})`
  );
}

/** A literal as a typed value (booleans are 1 / 0, objects and arrays their JSON text, as SQLite binds). */
export function literal(value: unknown): Typed {
  if (value === null || value === undefined) return { t: 'null' };
  if (typeof value === 'boolean')
    return { t: 'num', sql: value ? '1' : '0', affinity: 'none', literal: value ? 1 : 0 };
  if (typeof value === 'number') return { t: 'num', sql: sqlNumber(value), affinity: 'none', literal: value };
  if (typeof value === 'string') return { t: 'str', sql: sqlString(value), affinity: 'none', literal: value };
  const json = JSON.stringify(value);
  return { t: 'str', sql: sqlString(json), affinity: 'none', literal: json };
}

/** The value as text (SQLite's text form), or NULL; for `$contains`. */
export function asText(v: Typed): string {
  switch (v.t) {
    case 'null':
      return 'NULL';
    case 'bool':
      return `toString(${v.sql})`;
    case 'num':
      return `toString(${v.sql})`;
    case 'str':
      return v.sql;
    case 'json':
      return jsonText(v.node);
  }
}

/** A predicate (non-null UInt8): SQLite's truth of the value (numbers != 0, text by its leading number). */
export function truthy(v: Typed): string {
  switch (v.t) {
    case 'null':
      return FALSE_SQL;
    case 'bool':
      return v.sql;
    case 'num':
      return `ifNull(${v.sql} != 0, 0)`;
    case 'str':
      return `ifNull(${leadingReal(v.sql)} != 0, 0)`;
    case 'json':
      return `((${jsonRank(v.node)} = 1 AND ${v.node.num} != 0) OR (${jsonRank(v.node)} = 2 AND ${leadingReal(jsonText(v.node))} != 0))`;
  }
}

/** SQLite's CAST(text AS REAL): the longest leading number, else 0. */
export function leadingReal(textSql: string): string {
  return `toFloat64OrZero(extract(${textSql}, '^[ \\\\t\\\\n\\\\r]*([-+]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][-+]?[0-9]+)?)'))`;
}

/** SQLite's CAST(text AS INTEGER): the leading integer, else 0. */
export function leadingInteger(textSql: string): string {
  return `toInt64OrZero(extract(${textSql}, '^[ \\\\t\\\\n\\\\r]*([-+]?[0-9]+)'))`;
}

/** `$convert` of a value. */
export function convert(v: Typed, to: 'int' | 'double' | 'string' | 'bool'): Typed {
  if (v.t === 'null') return v;
  if (to === 'string') return { t: 'str', sql: asText(v), affinity: 'none' };
  if (to === 'int' || to === 'double') {
    const num = to === 'int' ? (x: string) => `toInt64(${x})` : (x: string) => `toFloat64(${x})`;
    const fromText = to === 'int' ? leadingInteger : leadingReal;
    switch (v.t) {
      case 'bool':
      case 'num':
        return { t: 'num', sql: num(v.sql), affinity: 'none' };
      case 'str':
        return { t: 'num', sql: `if(isNull(${v.sql}), NULL, ${fromText(v.sql)})`, affinity: 'none' };
      case 'json': {
        const n = v.node;
        const sql = `multiIf(${n.kind} = 0, NULL, ${jsonRank(n)} = 1, ${num(n.num)}, ${fromText(jsonText(n))})`;
        return { t: 'num', sql, affinity: 'none' };
      }
    }
  }
  // bool: 'true' / 'false' (any case) are 1 / 0, anything else is (number != 0); NULL stays NULL.
  const text = asText(v);
  const real =
    v.t === 'json'
      ? `if(${jsonRank(v.node)} = 1, ${v.node.num}, ${leadingReal(text)})`
      : v.t === 'str'
        ? leadingReal(text)
        : v.sql;
  return {
    t: 'num',
    sql: `multiIf(isNull(${text}), NULL, lower(${text}) = 'true', 1, lower(${text}) = 'false', 0, toUInt8(${real} != 0))`,
    affinity: 'none',
  };
}

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

/** Whether `a op b` holds for two constants (used to compare type ranks). */
function constant(a: number, op: CompareOp, b: number): boolean {
  return op === '=' ? a === b : op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
}

const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** SQLite's affinity conversions of the two operands of a comparison. */
function applyAffinity(a: Typed, b: Typed): [Typed, Typed] {
  const fix = (x: Typed, other: Typed): Typed => {
    if (
      other.t === 'num' &&
      other.affinity === 'numeric' &&
      x.t === 'str' &&
      x.literal !== undefined &&
      NUMERIC_TEXT.test(x.literal)
    ) {
      const n = Number(x.literal);
      return { t: 'num', sql: sqlNumber(n), affinity: 'none', literal: n };
    }
    if (other.t === 'str' && other.affinity === 'text') {
      if (x.t === 'num' && x.affinity === 'none') {
        return x.literal !== undefined
          ? literal(String(x.literal))
          : { t: 'str', sql: `toString(${x.sql})`, affinity: 'none' };
      }
      if (x.t === 'bool') return { t: 'str', sql: `toString(${x.sql})`, affinity: 'none' };
      if (x.t === 'json') return { t: 'str', sql: jsonText(x.node), affinity: 'none' };
    }
    return x;
  };
  return [fix(a, b), fix(b, a)];
}

interface Parts {
  rank: string;
  num: string;
  text: string;
}

function parts(v: Typed): Parts {
  switch (v.t) {
    case 'null':
      return { rank: '0', num: '0', text: "''" };
    case 'bool':
      return { rank: '1', num: v.sql, text: "''" };
    case 'num':
      return { rank: `if(isNull(${v.sql}), 0, 1)`, num: `ifNull(toFloat64(${v.sql}), 0)`, text: "''" };
    case 'str':
      return { rank: `if(isNull(${v.sql}), 0, 2)`, num: '0', text: `ifNull(${v.sql}, '')` };
    case 'json':
      return { rank: jsonRank(v.node), num: v.node.num, text: `ifNull(${jsonText(v.node)}, '')` };
  }
}

/**
 * `left IN (rights...)` as one predicate, equal to OR-ing `compare(left, '=', right)` over the rights,
 * when that can be said with ClickHouse's `IN`: `left` a text or number expression and every right a
 * literal of the same kind after affinity (null literals match nothing and are left out). Undefined
 * otherwise (the caller ORs the comparisons). A list of 50 000 ids stays one short expression.
 */
export function inList(left: Typed, rights: readonly Typed[]): string | undefined {
  if (left.t === 'json') return jsonInList(left.node, rights);
  if (left.t !== 'str' && left.t !== 'num') return undefined;
  const values: string[] = [];
  for (const right of rights) {
    if (right.t === 'null') continue;
    const [a, b] = applyAffinity(left, right);
    if (a !== left || b.t !== left.t || b.literal === undefined) return undefined;
    values.push(b.sql);
  }
  return values.length === 0 ? FALSE_SQL : `ifNull(${left.sql} IN (${values.join(', ')}), 0)`;
}

/** `a op b` as a predicate, with SQLite's semantics (see the module comment). */
export function compare(left: Typed, op: CompareOp, right: Typed): string {
  const [a, b] = applyAffinity(left, right);
  if (a.t === 'null' || b.t === 'null') return FALSE_SQL;
  const scalar = (x: Typed) => x.t === 'num' || x.t === 'bool';
  if (scalar(a) && scalar(b))
    return `ifNull(${(a as { sql: string }).sql} ${op} ${(b as { sql: string }).sql}, 0)`;
  if (a.t === 'str' && b.t === 'str') return `ifNull(${a.sql} ${op} ${b.sql}, 0)`;
  if (a.t !== 'json' && b.t !== 'json') {
    // A number and a text: decided by the type order alone (numbers < text), unless one is NULL.
    const ra = scalar(a) ? 1 : 2;
    const rb = scalar(b) ? 1 : 2;
    if (!constant(ra, op, rb)) return FALSE_SQL;
    return `(isNotNull(${(a as { sql: string }).sql}) AND isNotNull(${(b as { sql: string }).sql}))`;
  }
  if (a.t === 'json' && b.t !== 'json') return compareJsonWith(a.node, op, b);
  if (b.t === 'json' && a.t !== 'json') return compareJsonWith(b.node, flip(op), a);
  const pa = parts(a);
  const pb = parts(b);
  return (
    `(${pa.rank} != 0 AND ${pb.rank} != 0 AND ` +
    `if(${pa.rank} = ${pb.rank}, if(${pa.rank} = 1, ${pa.num} ${op} ${pb.num}, ${pa.text} ${op} ${pb.text}), ${pa.rank} ${op} ${pb.rank}))`
  );
}

function flip(op: CompareOp): CompareOp {
  return op === '>' ? '<' : op === '<' ? '>' : op === '>=' ? '<=' : op === '<=' ? '>=' : '=';
}

/** `node op other` for a JSON node and a non-JSON value; literals get index-friendly forms. */
function compareJsonWith(n: JsonNodeSql, op: CompareOp, other: Typed): string {
  const rank = jsonRank(n);
  if (other.t === 'str' && other.literal !== undefined) {
    const lit = other.literal;
    const same =
      op === '='
        ? `((${n.kind} = 2 AND ${n.raw} = ${sqlString(JSON.stringify(lit))}) OR (${n.kind} = 3 AND ${n.raw} = ${sqlString(lit)}))`
        : `(${rank} = 2 AND ${jsonText(n)} ${op} ${sqlString(lit)})`;
    return constant(1, op, 2) ? `(${same} OR ${rank} = 1)` : same;
  }
  if ((other.t === 'num' || other.t === 'bool') && (other.t === 'bool' || other.literal !== undefined)) {
    const same = `(${rank} = 1 AND ${n.num} ${op} ${other.sql})`;
    return constant(2, op, 1) ? `(${same} OR ${rank} = 2)` : same;
  }
  const pa = parts({ t: 'json', node: n });
  const pb = parts(other);
  return (
    `(${pa.rank} != 0 AND ${pb.rank} != 0 AND ` +
    `if(${pa.rank} = ${pb.rank}, if(${pa.rank} = 1, ${pa.num} ${op} ${pb.num}, ${pa.text} ${op} ${pb.text}), ${pa.rank} ${op} ${pb.rank}))`
  );
}

/** `inList` for a JSON node: all-text literals (as in compareJsonWith's `=`) or all-number literals. */
function jsonInList(n: JsonNodeSql, rights: readonly Typed[]): string | undefined {
  const texts: string[] = [];
  const nums: string[] = [];
  for (const r of rights) {
    if (r.t === 'null') continue;
    if (r.t === 'str' && r.literal !== undefined) texts.push(r.literal);
    else if (r.t === 'num' && r.literal !== undefined) nums.push(r.sql);
    else return undefined;
  }
  if (texts.length > 0 && nums.length > 0) return undefined;
  if (nums.length > 0) return `(${jsonRank(n)} = 1 AND ${n.num} IN (${nums.join(', ')}))`;
  if (texts.length === 0) return FALSE_SQL;
  const quoted = texts.map((t) => sqlString(JSON.stringify(t))).join(', ');
  const plain = texts.map((t) => sqlString(t)).join(', ');
  return `((${n.kind} = 2 AND ${n.raw} IN (${quoted})) OR (${n.kind} = 3 AND ${n.raw} IN (${plain})))`;
}

/** `value IS NULL` as a predicate. */
export function isNull(v: Typed): string {
  switch (v.t) {
    case 'null':
      return TRUE_SQL;
    case 'bool':
      return FALSE_SQL;
    case 'num':
    case 'str':
      return `isNull(${v.sql})`;
    case 'json':
      return `(${v.node.kind} = 0)`;
  }
}

/** ORDER BY keys of a value in one direction: NULL smallest, then numbers, then text. */
export function sortKeys(v: Typed, direction: 'ASC' | 'DESC'): string[] {
  switch (v.t) {
    case 'null':
      return [];
    case 'bool':
      return [`${v.sql} ${direction}`];
    case 'num':
    case 'str':
      return [`isNotNull(${v.sql}) ${direction}`, `${v.sql} ${direction}`];
    case 'json': {
      const p = parts(v);
      return [
        `${p.rank} ${direction}`,
        `if(${p.rank} = 1, ${p.num}, 0) ${direction}`,
        `if(${p.rank} = 2, ${p.text}, '') ${direction}`,
      ];
    }
  }
}
