// The HTTP Date header value (RFC 9110 §5.6.7, IMF-fixdate:
// "Sun, 06 Nov 1994 08:49:37 GMT") from epoch milliseconds by integer
// arithmetic. node:http's own Date header and Date.prototype.toUTCString
// both make V8 set up its date cache with ICU's time-zone data, which costs
// the agent ~0.6–0.9 MiB of resident memory it needs for nothing else
// (docs/memory.md); this gives the same text without any Date method.

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed']; // 1970-01-01 was a Thursday
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The civil (proleptic Gregorian) date of a day count since 1970-01-01, for years 0–9999. */
function civilDate(days: number): { year: number; month: number; day: number } {
  // Counted from 0000-03-01 so that the leap day ends each 4-, 100- and 400-year cycle.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** IMF-fixdate of `ms` (epoch milliseconds, years 1000–9999), as toUTCString() writes it. */
export function httpDate(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`httpDate needs a finite time, got ${ms}`);
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - days * 86_400;
  const { year, month, day } = civilDate(days);
  const weekday = DAYS[((days % 7) + 7) % 7];
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  return `${weekday}, ${twoDigits(day)} ${MONTHS[month - 1]} ${year} ${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(secondOfDay % 60)} GMT`;
}

let cachedSecond = Number.NaN;
let cachedText = '';

/** httpDate of now, computed at most once a second (as node:http caches its own). */
export function httpDateNow(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = httpDate(now);
  }
  return cachedText;
}
