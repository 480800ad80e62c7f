/** `0` ... `999` */
const DIGITS = Array.from({ length: 1000 }, (_, i) => String(i));
/** `000` ... `999`: the three digits after the leading group. */
const PADDED = Array.from({ length: 1000 }, (_, i) => (i < 100 ? String(i).padStart(3, '0') : DIGITS[i]!));

/**
 * The JSON text of a number, exactly `JSON.stringify(n)` for a finite `n`: a whole number from 0 to
 * 999 999 999 is joined from two or three table entries, anything else goes to `JSON.stringify`.
 *
 * Whole numbers are most of the numbers a traced call records (counters, indices, token counts), and
 * two of them per call (an argument and a result) took `JSON.stringify` ~0.15 µs: it enters the
 * runtime and sets up a serializer for each. `String(n)` is cheaper but goes through V8's
 * number-to-string cache, which keeps every string it makes alive across young collections (see
 * `primitiveJson` in json-text.ts); these tables are fixed and small (~2 000 short strings).
 */
export function numberJson(n: number): string {
  if (!(n >= 0 && n < 1e9) || Math.floor(n) !== n) return JSON.stringify(n);
  if (n < 1000) return DIGITS[n]!;
  if (n < 1e6) {
    const high = Math.floor(n / 1000);
    return DIGITS[high]! + PADDED[n - high * 1000]!;
  }
  const high = Math.floor(n / 1e6);
  const rest = n - high * 1e6;
  const middle = Math.floor(rest / 1000);
  return DIGITS[high]! + PADDED[middle]! + PADDED[rest - middle * 1000]!;
}
