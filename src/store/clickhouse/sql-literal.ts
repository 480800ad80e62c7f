import { ValidationError, describeValue } from '../../shared/errors.js';

/**
 * The one place where values become ClickHouse SQL text. Every value that reaches a query of the
 * ClickHouse store (project ids, call ids, `$literal`s, JSON paths, limits, database names) goes
 * through one of these functions; the query builders only concatenate their output with fixed SQL.
 *
 * Strings: single-quoted; backslash and quote are backslash-escaped, every byte below 0x20 and 0x7F
 * is written as `\xHH`, so the literal is one line of printable text whatever it holds (NUL, newlines,
 * `--`, `;`, `\'`). Non-ASCII characters pass through as UTF-8 (ClickHouse strings are bytes); a lone
 * UTF-16 surrogate, which has no UTF-8 form, becomes U+FFFD like any UTF-8 encoder makes it.
 * Numbers: finite only; integers in decimal, others in JavaScript's shortest round-trip form, which
 * ClickHouse reads back as the same Float64.
 */

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'" };

/** `'...'`: a ClickHouse string literal holding exactly `value`. */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`sqlString expects a string, got ${typeof value}`);
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const code = ch.charCodeAt(0);
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1];
        i++;
      } else out += '\ufffd';
    } else out += ch;
  }
  return `${out}'`;
}

/** A finite number as a ClickHouse numeric literal (integers in decimal, else Float64). */
export function sqlNumber(value: number, where = 'value'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(where, `expected a finite number, got ${describeValue(value)}`);
  }
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    // Negative literals are parenthesised so that `a - -1` or `x IN (-1)` always parse.
    return value < 0 ? `(${String(value)})` : String(value);
  }
  return `toFloat64(${sqlString(String(value))})`;
}

/** A non-negative integer (limit, offset, version) as a literal. */
export function sqlCount(value: number, where = 'value'): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(where, `expected a non-negative integer, got ${describeValue(value)}`);
  }
  return String(value);
}

/** The count of a `LIMIT offset, count` without a limit (2^62: `offset + count` must not overflow UInt64). */
export const NO_LIMIT = '4611686018427387904';

/** `('a', 'b')`: a tuple of string literals for `IN`; an empty list is `('')`-free: callers handle it. */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new TypeError('sqlStringList needs at least one value');
  return `(${values.map(sqlString).join(', ')})`;
}

/** Database and table names: letters, digits and underscores, not starting with a digit. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A back-quoted identifier; refuses anything outside {@link IDENTIFIER}. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ValidationError(
      'identifier',
      `expected letters, digits and _ only, got ${describeValue(name)}`,
    );
  }
  return `\`${name}\``;
}
