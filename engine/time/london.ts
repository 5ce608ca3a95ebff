// Europe/London wall-clock helpers. Every deadline in Camau is reckoned in UK local
// time (shared/domain/PRIMER.md "Time"); instants are ISO-8601 UTC strings.
// Local dates are 'YYYY-MM-DD' strings: zone-free, so date arithmetic on them uses UTC.

/** Years handled. Before 1900 London kept local mean time (offsets of -00:01:15). */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 9999;
export const LAST_DATE = '9999-12-31';

// Creating a DateTimeFormat costs far more than using one: build it once.
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export interface LocalParts {
  date: string;
  /** 'HH:MM:SS.mmm' */
  time: string;
  /** Local time minus UTC: 0 in GMT, 60 in BST. */
  offsetMinutes: number;
}

export function localParts(instant: string): LocalParts {
  const ms = Date.parse(instant);
  const field: Record<string, number> = {};
  for (const part of londonClock.formatToParts(ms)) field[part.type] = Number(part.value);
  const millis = ((ms % 1000) + 1000) % 1000;
  const wallMs = Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second, millis);
  return {
    date: `${pad(field.year, 4)}-${pad(field.month)}-${pad(field.day)}`,
    time: `${pad(field.hour)}:${pad(field.minute)}:${pad(field.second)}.${pad(millis, 3)}`,
    offsetMinutes: Math.round((wallMs - ms) / 60_000),
  };
}

const DAY_MS = 86_400_000;
const offsetAt = (ms: number) => localParts(new Date(ms).toISOString()).offsetMinutes;

/**
 * The instant at which London clocks show `date` `time` ('HH:MM', 'HH:MM:SS' or
 * 'HH:MM:SS.mmm'; values must already be valid). Clock changes:
 * - a time that occurs twice (the autumn 01:00-02:00 hour) is its FIRST occurrence, in BST,
 *   so a deadline never slips an hour later than the earliest reading;
 * - a time that never occurs (the spring 01:00-02:00 hour) is shifted forward by the gap
 *   (01:30 becomes 02:30 BST), i.e. read with the offset in force before the change.
 */
export function fromLocal(date: string, time: string): string {
  const [y, mo, d] = dateParts(date);
  const [hms, fraction = ''] = time.split('.');
  const [h, mi, s = 0] = hms.split(':').map(Number);
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // The offsets a day either side bracket any clock change (London changes twice a year).
  const offsets = [...new Set([offsetAt(wallMs - DAY_MS), offsetAt(wallMs + DAY_MS)])];
  const readings = offsets.map((offset) => wallMs - offset * 60_000).filter((ms, i) => offsetAt(ms) === offsets[i]);
  return new Date(readings.length > 0 ? Math.min(...readings) : wallMs - offsets[0] * 60_000).toISOString();
}

function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function dateParts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

export function addLocalDays(date: string, n: number): string {
  const [y, m, d] = dateParts(date);
  return formatDate(Date.UTC(y, m - 1, d + n));
}

/** Calendar months later, clamped to the month's end (31 Jan + 1 month = 28 or 29 Feb). */
export function addLocalMonths(date: string, n: number): string {
  const [y, m, d] = dateParts(date);
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return formatDate(Date.UTC(y, m - 1 + n, Math.min(d, lastDay)));
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function weekday(date: string): number {
  const [y, m, d] = dateParts(date);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** Whether a local date (possibly the result of overflowing arithmetic) is one this module handles. */
export function inSupportedRange(date: string): boolean {
  const year = Number(date.slice(0, -6));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}
