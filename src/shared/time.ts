/** Time helpers: weft stores integer microseconds and sends ISO-8601 UTC strings with microseconds. */

const origin = Date.now() * 1000 - Math.round(performance.now() * 1000);

/** Current time in integer microseconds since the epoch (monotonic within a process). */
export function nowMicros(): number {
  return origin + Math.round(performance.now() * 1000);
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** Integer microseconds -> `2026-11-28T07:10:05.123456Z`. The date part is cached per second. */
export function microsToIso(us: number): string {
  const second = Math.floor(us / 1_000_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20); // 2026-11-28T07:10:05.
  }
  const frac = us - second * 1_000_000;
  // The short tail is one flat string, so the result is two pieces, not three.
  return cachedPrefix + ((frac < 100_000 ? String(frac + 1_000_000).slice(1) : String(frac)) + 'Z');
}

/**
 * ISO-8601 string (any precision, `Z` or offset) -> integer microseconds, or undefined if unparsable.
 */
export function isoToMicros(iso: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}${normalizeZone(m[3])}`);
  if (Number.isNaN(base)) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return base * 1000 + Number(frac);
}

function normalizeZone(zone: string | undefined): string {
  if (!zone || zone === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}
