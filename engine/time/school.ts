// School days: the days on which a school meets (shared/domain/PRIMER.md "Time"). Pure: the
// term dates, bank holidays and the school's own INSET and closure days are passed in (the
// data lives in workflows/calendars/ and is loaded by the caller).
import { dayCountingCalendar, type Calendar } from './calendar.js';
import { weekday } from './london.js';

/** Inclusive local dates ('YYYY-MM-DD'). */
export interface DateRange {
  start: string;
  end: string;
}

export interface Term {
  /** 'autumn', 'spring', 'summer': the name an LA override adjusts a term by. */
  name?: string;
  start: string;
  end: string;
  /** Breaks inside the term (half terms); no school on these days. */
  halfTerms?: DateRange[];
}

export interface SchoolDaysSpec {
  terms: Term[];
  /** England and Wales bank holidays covering `range`. */
  bankHolidays: string[];
  /** The school's INSET (training) days: teachers work, pupils do not; not school days. */
  inset?: string[];
  /** Other days the school is closed in term (a polling station, an emergency). */
  closures?: string[];
  /** Inclusive local dates the data covers: outside it every date is 'unknown'. */
  range: { from: string; to: string };
}

/** What a date is for one school. */
export interface SchoolDayInfo {
  date: string;
  /** Inside a term's dates (half terms included). */
  inTerm: boolean;
  halfTerm: boolean;
  weekend: boolean;
  bankHoliday: boolean;
  inset: boolean;
  closure: boolean;
  /** The school meets: a weekday in term, not in a half term, not a bank holiday, INSET or closure day. */
  schoolDay: boolean;
  /** Staff work: a school day or an INSET day. The 195 days a year. */
  teacherDay: boolean;
  /** The school is on holiday: outside every term, in a half term, or a bank holiday. Weekends in term are not holidays. */
  holiday: boolean;
}

export interface SchoolCalendar extends Calendar {
  isQualifyingDay(localDate: string): boolean | 'unknown';
  /** What the date is for this school; 'unknown' outside the loaded data. */
  info(localDate: string): SchoolDayInfo | 'unknown';
}

/** A classifier over one school's dates; the sets are built once. */
export function schoolDayInfo(spec: SchoolDaysSpec): (localDate: string) => SchoolDayInfo | 'unknown' {
  const bankHolidays = new Set(spec.bankHolidays);
  const inset = new Set(spec.inset ?? []);
  const closures = new Set(spec.closures ?? []);
  const terms = [...spec.terms].sort((a, b) => (a.start < b.start ? -1 : 1));
  const { from, to } = spec.range;
  return (date) => {
    if (!(date >= from && date <= to)) return 'unknown';
    const term = terms.find((t) => t.start <= date && date <= t.end);
    const inTerm = term !== undefined;
    const halfTerm = term?.halfTerms?.some((h) => h.start <= date && date <= h.end) ?? false;
    const weekend = weekday(date) >= 6;
    const bankHoliday = bankHolidays.has(date);
    const isInset = inset.has(date);
    const closure = closures.has(date);
    const open = inTerm && !halfTerm && !weekend && !bankHoliday;
    return {
      date,
      inTerm,
      halfTerm,
      weekend,
      bankHoliday,
      inset: isInset,
      closure,
      schoolDay: open && !isInset && !closure,
      teacherDay: open && !closure,
      holiday: !inTerm || halfTerm || bankHoliday,
    };
  };
}

/**
 * The 'school-days' calendar of one school: N school days after T is the N-th school day
 * strictly after T's local date, at T's local time (`dayCountingCalendar`); P{n}W is 5n
 * school days. A date outside `range` fails the count with 'outside-calendar' naming it.
 */
export function schoolDays(spec: SchoolDaysSpec, id = 'school-days'): SchoolCalendar {
  const info = schoolDayInfo(spec);
  const isQualifyingDay = (date: string): boolean | 'unknown' => {
    const i = info(date);
    return i === 'unknown' ? 'unknown' : i.schoolDay;
  };
  return { ...dayCountingCalendar(id, isQualifyingDay), isQualifyingDay, info };
}

/** Whether the school meets on `localDate`; 'unknown' outside the loaded data. */
export function isSchoolDay(cal: SchoolCalendar, localDate: string): boolean | 'unknown' {
  const i = cal.info(localDate);
  return i === 'unknown' ? 'unknown' : i.schoolDay;
}

/** Whether `localDate` falls in a school holiday (no meeting then); 'unknown' outside the loaded data. */
export function isSchoolHoliday(cal: SchoolCalendar, localDate: string): boolean | 'unknown' {
  const i = cal.info(localDate);
  return i === 'unknown' ? 'unknown' : i.holiday;
}

/** Whether staff work on `localDate` (school days and INSET days); 'unknown' outside the loaded data. */
export function isTeacherDay(cal: SchoolCalendar, localDate: string): boolean | 'unknown' {
  const i = cal.info(localDate);
  return i === 'unknown' ? 'unknown' : i.teacherDay;
}
