// Calendars turn a duration into a deadline. The model names one per timer or due date
// (shared/DESIGN.md §3): calendar days by default, working days, or a school's school days.
// Day-based units are counted on the Europe/London local date at the local time of day;
// hours, minutes and seconds are always elapsed time. Counting back (a reminder before a due
// date) is the mirror of counting forward.
import type { Duration } from './iso.js';
import { FIRST_YEAR, LAST_DATE, addLocalDays, addLocalMonths, fromLocal, inSupportedRange, localParts, weekday } from './london.js';

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
  /** The instant `d` before `from`, the mirror of `add`: N days before T is the N-th qualifying day strictly before T's local date. */
  subtract(from: string, d: Duration): { ok: true; value: string } | OutsideCalendar;
  /** Whether a local date ('YYYY-MM-DD') counts in this calendar; 'unknown' outside the loaded data. */
  isQualifyingDay?(localDate: string): boolean | 'unknown';
}

/** Hours, minutes and seconds of `d` in milliseconds (finer fractions rounded). */
export function elapsedMs(d: Duration): number {
  return Math.round(((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000);
}

const FIRST_DATE = `${FIRST_YEAR}-01-01`;
const FIRST_MS = Date.parse(fromLocal(FIRST_DATE, '00:00'));
const LAST_MS = Date.parse(fromLocal(LAST_DATE, '23:59:59.999'));

const outside = (date: string, message: string): OutsideCalendar => ({ ok: false, code: 'outside-calendar', message, date });
const beyondLastDate = (id: string) => outside(LAST_DATE, `${id}: the deadline falls after ${LAST_DATE}, the last date Camau handles`);
const beforeFirstDate = (id: string) => outside(FIRST_DATE, `${id}: the date falls before ${FIRST_DATE}, the first date Camau handles`);
const beyondRange = (id: string, direction: Direction) => (direction === 1 ? beyondLastDate(id) : beforeFirstDate(id));
const noData = (id: string, date: string) => outside(date, `${id}: no data for ${date}, which the deadline needs; it lies outside the loaded calendar`);

/** Forward (`add`) or back (`subtract`). */
type Direction = 1 | -1;
type MoveDate = (localDate: string, d: Duration, direction: Direction) => { ok: true; value: string } | OutsideCalendar;

const hasDays = (d: Duration) => d.years !== 0 || d.months !== 0 || d.weeks !== 0 || d.days !== 0;

/**
 * A calendar that moves the local date by the day-based units of `d` (keeping the local time of
 * day) and the instant by its elapsed part: forward, the date first; back, the elapsed part
 * first, so that each undoes the other's last step.
 */
function byLocalDate(id: string, moveDate: MoveDate): Calendar {
  // Without day-based units the local time is never re-read: in the autumn hour that occurs
  // twice, re-reading it would move an instant in GMT back to its BST twin.
  const moveDay = (ms: number, d: Duration, direction: Direction): { ok: true; value: number } | OutsideCalendar => {
    if (!hasDays(d)) return { ok: true, value: ms };
    const local = localParts(new Date(ms).toISOString());
    const moved = moveDate(local.date, d, direction);
    if (!moved.ok) return moved;
    if (!inSupportedRange(moved.value)) return beyondRange(id, direction);
    return { ok: true, value: Date.parse(fromLocal(moved.value, local.time)) };
  };
  const instant = (ms: number) => ({ ok: true as const, value: new Date(ms).toISOString() });
  return {
    id,
    add(from, d) {
      const moved = moveDay(Date.parse(from), d, 1);
      if (!moved.ok) return moved;
      const ms = moved.value + elapsedMs(d);
      return ms <= LAST_MS ? instant(ms) : beyondLastDate(id);
    },
    subtract(from, d) {
      const ms = Date.parse(from) - elapsedMs(d);
      if (!(ms >= FIRST_MS)) return beforeFirstDate(id);
      const moved = moveDay(ms, d, -1);
      if (!moved.ok) return moved;
      return moved.value >= FIRST_MS ? instant(moved.value) : beforeFirstDate(id);
    },
  };
}

/**
 * Years and months are added to the local date first (clamped to the month's end), then
 * weeks and days, all keeping the local time of day: P1D across a clock change is 23 or 25
 * real hours. A local time that the new date lacks or has twice is read as `fromLocal` says.
 */
export const calendarDays: Calendar = {
  ...byLocalDate('calendar-days', (date, d, direction) => ({
    ok: true,
    value: addLocalDays(addLocalMonths(date, direction * (12 * d.years + d.months)), direction * (7 * d.weeks + d.days)),
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
 * `subtract` is the mirror: months back first, then N days before is the N-th qualifying day
 * strictly before that date (with no days, a date that does not qualify moves back to the
 * qualifying day before it), at the same local time; the elapsed part is taken off first.
 * When `isQualifyingDay` answers 'unknown' for a date the count needs, the result is an
 * 'outside-calendar' failure naming that date.
 */
export function dayCountingCalendar(id: string, isQualifyingDay: (localDate: string) => boolean | 'unknown'): Calendar {
  /** The n-th qualifying day strictly after (direction 1) or before (-1) `from`. */
  function nthQualifyingDay(from: string, n: number, direction: Direction): { ok: true; value: string } | OutsideCalendar {
    let date = from;
    for (let found = 0; found < n; ) {
      date = addLocalDays(date, direction);
      if (!inSupportedRange(date)) return beyondRange(id, direction);
      const qualifies = isQualifyingDay(date);
      if (qualifies === 'unknown') return noData(id, date);
      if (qualifies) found++;
    }
    return { ok: true, value: date };
  }

  const calendar = byLocalDate(id, (date, d, direction) => {
    const monthsOn = addLocalMonths(date, direction * (12 * d.years + d.months));
    if (!inSupportedRange(monthsOn)) return beyondRange(id, direction);
    const days = 5 * d.weeks + d.days;
    return days > 0 ? nthQualifyingDay(monthsOn, days, direction) : nthQualifyingDay(addLocalDays(monthsOn, -direction), 1, direction);
  });
  return { ...calendar, isQualifyingDay };
}

/**
 * How many qualifying days separate two local dates: from `from` to a later `to`, the
 * qualifying days strictly after `from` up to and including `to` (so `to` is that many
 * qualifying days after `from` when `to` qualifies); to an earlier `to`, minus the qualifying
 * days from `to` up to but not including `from` (the mirror). The same date gives 0.
 * A date the calendar has no data for fails, naming it.
 */
export function qualifyingDaysBetween(cal: Required<Pick<Calendar, 'id' | 'isQualifyingDay'>>, from: string, to: string): { ok: true; value: number } | OutsideCalendar {
  const direction: Direction = to >= from ? 1 : -1;
  const [first, last] = direction === 1 ? [addLocalDays(from, 1), to] : [to, addLocalDays(from, -1)];
  let n = 0;
  for (let date = first; date <= last; date = addLocalDays(date, 1)) {
    const qualifies = cal.isQualifyingDay(date);
    if (qualifies === 'unknown') return noData(cal.id, date);
    if (qualifies) n++;
  }
  return { ok: true, value: direction * n };
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

