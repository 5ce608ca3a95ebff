// ISO-8601 durations, date-times and repeating intervals as BPMN timers write them.
// Values come from models and variables, so a bad one is a result, never an exception.
import { FIRST_YEAR, LAST_YEAR, fromLocal } from './london.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  /** May be fractional; time is kept to the millisecond. */
  seconds: number;
}

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

// Only seconds may carry a fraction: a fractional day or month has no meaning on a calendar.
const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export function parseDuration(input: string): Parsed<Duration> {
  const s = input.trim();
  if (s.startsWith('-')) return fail(`"${s}": negative durations are not allowed`);
  const m = durationPattern.exec(s);
  if (!m && /^P[^T]*\d[HS]/.test(s)) return fail(`"${s}": hours, minutes and seconds go after a T (e.g. PT1H)`);
  if (!m) return fail(`"${s}" is not an ISO-8601 duration (e.g. P5D, PT10M, P1Y2M3DT4H5M6.5S, P2W)`);
  if (m.slice(1).every((part) => part === undefined)) return fail(`"${s}" names no amount (e.g. P1D or PT1H)`);
  if (s.endsWith('T')) return fail(`"${s}": a T must be followed by hours, minutes or seconds`);
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((part) => Number((part ?? '0').replace(',', '.')));
  const value = { years, months, weeks, days, hours, minutes, seconds };
  if (Object.values(value).some((n) => n > Number.MAX_SAFE_INTEGER)) return fail(`"${s}" is too long a duration`);
  return { ok: true, value };
}

export function formatDuration(d: Duration): string {
  const date = [[d.years, 'Y'], [d.months, 'M'], [d.weeks, 'W'], [d.days, 'D']] as const;
  const time = [[d.hours, 'H'], [d.minutes, 'M'], [d.seconds, 'S']] as const;
  const part = (units: readonly (readonly [number, string])[]) => units.filter(([n]) => n !== 0).map(([n, u]) => `${n}${u}`).join('');
  const datePart = part(date);
  const timePart = part(time);
  if (datePart === '' && timePart === '') return 'PT0S';
  return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
}

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * A date-time to the UTC instant it names (`toISOString()` form, milliseconds kept, finer
 * digits dropped). With `Z` or an offset it is that instant; without a zone it is
 * Europe/London wall-clock time (see `fromLocal` for the hour that occurs twice or never);
 * a plain date is 00:00 London time on that day.
 */
export function parseDateTime(input: string): Parsed<string> {
  const s = input.trim();
  const m = dateTimePattern.exec(s);
  if (!m) return fail(`"${s}" is not an ISO-8601 date or date-time (e.g. 2026-12-11, 2026-12-11T09:00, 2026-12-11T09:00:00Z)`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', fraction = '', zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number);
  if (year < FIRST_YEAR || year > LAST_YEAR) return fail(`"${s}": years from ${FIRST_YEAR} to ${LAST_YEAR} only`);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return fail(`"${s}": no such date`);
  }
  if (hour > 23 || minute > 59 || second > 59) return fail(`"${s}": no such time of day`);
  const time = `${h}:${mi}:${sec}.${fraction.padEnd(3, '0').slice(0, 3)}`;
  const date = `${y}-${mo}-${d}`;
  if (zone === undefined) return { ok: true, value: fromLocal(date, time) };
  const offsetMinutes = zone === 'Z' ? 0 : zoneOffset(zone);
  if (Number.isNaN(offsetMinutes)) return fail(`"${s}": no such UTC offset`);
  const instant = new Date(Date.parse(`${date}T${time}Z`) - offsetMinutes * 60_000);
  if (instant.getUTCFullYear() > LAST_YEAR) return fail(`"${s}": years from ${FIRST_YEAR} to ${LAST_YEAR} only`);
  return { ok: true, value: instant.toISOString() };
}

/** '+01:00', '-0530' or '+01' in minutes east of UTC; NaN when out of range. */
function zoneOffset(zone: string): number {
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return NaN;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export interface Cycle {
  /** How many times the timer fires; -1 for an unbounded `R/...`. */
  repetitions: number;
  start?: string;
  period: Duration;
  end?: string;
}

const cycleExample = 'e.g. R5/PT10S, R/PT1M, R3/2026-01-01T09:00:00Z/P1D or R2/P1D/2026-01-10T00:00:00Z';

/** An ISO-8601 repeating interval: R[n]/period, R[n]/start/period or R[n]/period/end. */
export function parseCycle(input: string): Parsed<Cycle> {
  const s = input.trim();
  const parts = s.split('/');
  if (!s.startsWith('R')) return fail(`"${s}" is not an ISO-8601 repeating interval (${cycleExample}); cron expressions are not supported`);
  if (!/^R\d*$/.test(parts[0])) return fail(`"${s}": the repetitions after R must be a whole number`);
  const repetitions = parts[0] === 'R' ? -1 : Number(parts[0].slice(1));
  if (repetitions === 0) return fail(`"${s}": R0 would never fire`);
  if (parts.length < 2 || parts.length > 3) return fail(`"${s}" is not an ISO-8601 repeating interval (${cycleExample})`);

  const periodAt = parts.length === 3 && !parts[1].startsWith('P') ? 2 : 1;
  const period = parseDuration(parts[periodAt]);
  if (!period.ok) return fail(`"${s}": ${period.message}`);
  if (tooShort(period.value)) return fail(`"${s}": the period must be at least a millisecond`);
  if (parts.length === 2) return { ok: true, value: { repetitions, period: period.value } };

  const bound = parseDateTime(parts[periodAt === 1 ? 2 : 1]);
  if (!bound.ok) return fail(`"${s}": ${bound.message}`);
  const value: Cycle = periodAt === 1 ? { repetitions, period: period.value, end: bound.value } : { repetitions, start: bound.value, period: period.value };
  return { ok: true, value };
}

// A zero (or sub-millisecond) period would fire forever at one instant.
function tooShort(d: Duration): boolean {
  return d.years + d.months + d.weeks + d.days + d.hours + d.minutes === 0 && d.seconds < 0.001;
}
