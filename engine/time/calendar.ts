// Calendars turn a duration into a deadline. The model names one per timer or due date
// (shared/DESIGN.md §3): calendar days by default, working days, or a school's school days.
// Day-based units are counted on the Europe/London local date at the local time of day;
// hours, minutes and seconds are always elapsed time.
import type { Duration } from './iso.js';
import { LAST_DATE, addLocalDays, addLocalMonths, fromLocal, inSupportedRange, localParts, weekday } from './london.js';

export interface OutsideCalendar {
  ok: false;
  code: 'outside-calendar';
  message: string;
  /** The local date the calculation needed and the calendar could not answer for. */
  date: string;
}

export interface Calendar {
  /** 'calendar-days' | 'working-days' | 'school-days' ... */
  readonly id: string;
  /** The instant `d` after `from` (ISO instant). May fail: a deadline beyond the loaded data is an error, never a guess. */
  add(from: string, d: Duration): { ok: true; value: string } | OutsideCalendar;
  /** Whether a local date ('YYYY-MM-DD') counts in this calendar; 'unknown' outside the loaded data. */
  isQualifyingDay?(localDate: string): boolean | 'unknown';
}

/** Hours, minutes and seconds of `d` in milliseconds (finer fractions rounded). */
export function elapsedMs(d: Duration): number {
  return Math.round(((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000);
}

const LAST_MS = Date.parse(fromLocal(LAST_DATE, '23:59:59.999'));

const outside = (date: string, message: string): OutsideCalendar => ({ ok: false, code: 'outside-calendar', message, date });
const beyondLastDate = (id: string) => outside(LAST_DATE, `${id}: the deadline falls after ${LAST_DATE}, the last date Camau handles`);

type MoveDate = (localDate: string, d: Duration) => { ok: true; value: string } | OutsideCalendar;

/** A calendar that moves the local date by the day-based units of `d`, then adds the elapsed part. */
function byLocalDate(id: string, moveDate: MoveDate): Calendar {
  return {
    id,
    add(from, d) {
      let ms = Date.parse(from);
      // Without day-based units the local time is never re-read: in the autumn hour that
      // occurs twice, re-reading it would move an instant in GMT back to its BST twin.
      if (d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0) {
        const local = localParts(from);
        const moved = moveDate(local.date, d);
        if (!moved.ok) return moved;
        if (!inSupportedRange(moved.value)) return beyondLastDate(id);
        ms = Date.parse(fromLocal(moved.value, local.time));
      }
      ms += elapsedMs(d);
      if (!(ms <= LAST_MS)) return beyondLastDate(id);
      return { ok: true, value: new Date(ms).toISOString() };
    },
  };
}

/**
 * Years and months are added to the local date first (clamped to the month's end), then
 * weeks and days, all keeping the local time of day: P1D across a clock change is 23 or 25
 * real hours. A local time that the new date lacks or has twice is read as `fromLocal` says.
 */
export const calendarDays: Calendar = {
  ...byLocalDate('calendar-days', (date, d) => ({
    ok: true,
    value: addLocalDays(addLocalMonths(date, 12 * d.years + d.months), 7 * d.weeks + d.days),
  })),
  isQualifyingDay: (date) => inSupportedRange(date) || 'unknown',
};

/**
 * A calendar that counts qualifying days (working days, school days):
 * - years and months are added as calendar months to the local date (clamped to the month's end);
 * - then N days (a week being 5 days) is the N-th qualifying day strictly after that date;
 *   with no days or weeks, a date the months land on that does not qualify moves on to the
 *   next qualifying day, so a deadline never falls on a day that does not count;
 * - the local time of day is kept, and hours, minutes and seconds are added as elapsed time.
 * When `isQualifyingDay` answers 'unknown' for a date the count needs, the result is an
 * 'outside-calendar' failure naming that date.
 */
export function dayCountingCalendar(id: string, isQualifyingDay: (localDate: string) => boolean | 'unknown'): Calendar {
  function nthQualifyingDay(after: string, n: number): { ok: true; value: string } | OutsideCalendar {
    let date = after;
    for (let found = 0; found < n; ) {
      date = addLocalDays(date, 1);
      if (!inSupportedRange(date)) return beyondLastDate(id);
      const qualifies = isQualifyingDay(date);
      if (qualifies === 'unknown') return outside(date, `${id}: no data for ${date}, which the deadline needs; it lies outside the loaded calendar`);
      if (qualifies) found++;
    }
    return { ok: true, value: date };
  }

  const calendar = byLocalDate(id, (date, d) => {
    const monthsOn = addLocalMonths(date, 12 * d.years + d.months);
    if (!inSupportedRange(monthsOn)) return beyondLastDate(id);
    const days = 5 * d.weeks + d.days;
    return days > 0 ? nthQualifyingDay(monthsOn, days) : nthQualifyingDay(addLocalDays(monthsOn, -1), 1);
  });
  return { ...calendar, isQualifyingDay };
}

/**
 * Monday to Friday less the given bank holidays ('YYYY-MM-DD'). Dates outside `range`
 * (inclusive local dates) are unknown: holidays beyond the loaded data are not guessed.
 */
export function workingDays(bankHolidays: string[], range: { from: string; to: string }): Calendar {
  const holidays = new Set(bankHolidays);
  return dayCountingCalendar('working-days', (date) => {
    if (date < range.from || date > range.to) return 'unknown';
    return weekday(date) <= 5 && !holidays.has(date);
  });
}

