/** Time helpers: weft stores integer microseconds and sends ISO-8601 UTC strings with microseconds. */
import { flatten } from './v8-fast-paths.js';

const origin = Date.now() * 1000 - Math.round(performance.now() * 1000);

/** Current time in integer microseconds since the epoch (monotonic within a process). */
export function nowMicros(): number {
  return origin + Math.round(performance.now() * 1000);
}

let cachedDay = NaN;
let cachedDayPrefix = '';
let cachedSecond = NaN;
let cachedSecondPrefix = '';
let cachedMs = NaN;
let cachedMsPrefix = '';
/** `00` ... `59` */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** `000Z` ... `999Z`: the last three digits of the fraction and the zone. */
const THREE_DIGITS_Z = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

/**
 * Integer microseconds -> `2026-11-28T07:10:05.123456Z`. The text up to the millisecond is cached
 * (built from the date, cached per day, and the clock, per second), so a time is that flat prefix and
 * one of 1 000 constant tails: one concatenation, no number formatting. Calls a few µs apart share
 * the prefix; times spread over many seconds (a server ingesting a batch) rebuild it from the cached
 * pieces, not with a `Date`. The prefix is flat so that a record's flatten (v8-fast-paths.ts), which
 * holds two of these times, copies it as one piece, not the nine it was concatenated from.
 */
export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  if (ms !== cachedMs) {
    const second = Math.floor(ms / 1000);
    if (second !== cachedSecond) {
      const day = Math.floor(second / 86_400);
      if (day !== cachedDay) {
        const iso = new Date(day * 86_400_000).toISOString(); // 2026-11-28T00:00:00.000Z
        cachedDay = day;
        cachedDayPrefix = iso.slice(0, iso.indexOf('T') + 1);
      }
      const s = second - day * 86_400;
      cachedSecond = second;
      cachedSecondPrefix =
        cachedDayPrefix +
        `${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}.`;
    }
    cachedMs = ms;
    cachedMsPrefix = flatten(cachedSecondPrefix + THREE_DIGITS_Z[ms - second * 1000]!.slice(0, 3));
  }
  return cachedMsPrefix + THREE_DIGITS_Z[us - ms * 1000]!;
}

/** `YYYY-MM-DDTHH:MM:SS`, an optional fraction, an optional zone (`Z`, `+HH:MM` or `+HHMM`). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * ISO-8601 string (any precision, `Z` or offset; no zone means UTC) -> integer microseconds, or
 * undefined unless it names a real instant: a month 01-12, a day that month has (`2026-02-30`,
 * `2025-02-29` are refused), a clock 00:00:00-23:59:59 (no `24:00`, no leap second `:60`) and an offset
 * up to 23:59. `Date.parse` is not used because it normalises some impossible dates (`2026-02-30` is
 * March 2, `24:00` the next midnight). Digits past the sixth of the fraction are dropped. Far from 1970
 * (before 1684, after 2255) the result is not a safe integer; callers that store it check that.
 */
export function isoToMicros(iso: string): number | undefined {
  const m = ISO_TIME.exec(iso);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHour = Number(m[10]);
    const offsetMinute = Number(m[11]);
    if (offsetHour > 23 || offsetMinute > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  }
  const seconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3600 + (minute - offsetMinutes) * 60 + second;
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return seconds * 1_000_000 + Number(frac);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
