/** Time helpers: weft stores integer microseconds and sends ISO-8601 UTC strings with microseconds. */

const origin = Date.now() * 1000 - Math.round(performance.now() * 1000);

/** Current time in integer microseconds since the epoch (monotonic within a process). */
export function nowMicros(): number {
  return origin + Math.round(performance.now() * 1000);
}

/** Integer microseconds -> `2026-11-28T07:10:05.123456Z`. */
export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // ...sss Z
  return `${iso.slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
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
