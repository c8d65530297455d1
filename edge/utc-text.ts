// UTC times as text by integer arithmetic: the HTTP Date header (RFC 9110
// §5.6.7, IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT") and the logs' ISO
// 8601 timestamps ("1994-11-06T08:49:37.000Z"). In V8 toUTCString and
// toISOString (and node:http's own Date header, which uses them) compute the
// local time-zone offset first, which loads ICU's time-zone data: ~0.6-0.9
// MiB of resident memory the agent needs for nothing else (docs/memory.md).

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed']; // 1970-01-01 was a Thursday
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface UtcParts {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Thursday, as DAYS
  hours: number;
  minutes: number;
  seconds: number;
  ms: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The proleptic Gregorian UTC calendar fields of epoch milliseconds. */
function utcParts(time: number): UtcParts {
  if (!Number.isFinite(time)) throw new RangeError(`a UTC time must be finite, got ${time}`);
  const ms = time - Math.floor(time / 1000) * 1000;
  const totalSeconds = Math.floor(time / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const secondOfDay = totalSeconds - days * 86_400;
  // Counted from 0000-03-01 so that the leap day ends each 4-, 100- and 400-year cycle.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1,
    weekday: ((days % 7) + 7) % 7,
    hours: Math.floor(secondOfDay / 3600),
    minutes: Math.floor((secondOfDay % 3600) / 60),
    seconds: secondOfDay % 60,
    ms,
  };
}

/** IMF-fixdate of `time` (epoch milliseconds, years 1000-9999), as toUTCString() writes it. */
export function httpDate(time: number): string {
  const t = utcParts(time);
  return `${DAYS[t.weekday]}, ${pad(t.day, 2)} ${MONTHS[t.month - 1]} ${t.year} ${pad(t.hours, 2)}:${pad(t.minutes, 2)}:${pad(t.seconds, 2)} GMT`;
}

/** ISO 8601 of `time` (epoch milliseconds, years 0-9999), as toISOString() writes it. */
export function isoTime(time: number): string {
  const t = utcParts(time);
  return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hours, 2)}:${pad(t.minutes, 2)}:${pad(t.seconds, 2)}.${pad(t.ms, 3)}Z`;
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
