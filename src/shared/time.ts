/** Time helpers: weft stores integer microseconds and sends ISO-8601 UTC strings with microseconds. */

const origin = Date.now() * 1000 - Math.round(performance.now() * 1000);

/** Current time in integer microseconds since the epoch (monotonic within a process). */
export function nowMicros(): number {
  return origin + Math.round(performance.now() * 1000);
}

let cachedSecond = NaN;
let cachedPrefix = '';
let cachedDay = NaN;
let cachedDayPrefix = '';
/** `00` ... `59` */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Integer microseconds -> `2026-11-28T07:10:05.123456Z`. The text up to the fraction is cached per
 * second, and the date per day, so that times spread over many seconds (a server ingesting a batch)
 * cost a few digits each, not a `Date`.
 */
export function microsToIso(us: number): string {
  const second = Math.floor(us / 1_000_000);
  if (second !== cachedSecond) {
    const day = Math.floor(second / 86_400);
    if (day !== cachedDay) {
      const iso = new Date(day * 86_400_000).toISOString(); // 2026-11-28T00:00:00.000Z
      cachedDay = day;
      cachedDayPrefix = iso.slice(0, iso.indexOf('T') + 1);
    }
    const s = second - day * 86_400;
    cachedSecond = second;
    cachedPrefix =
      cachedDayPrefix +
      `${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}.`;
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
