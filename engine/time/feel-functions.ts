// Calendar arithmetic for FEEL expressions in models: the same counting rule as timers and
// due dates (calendar.ts), so `addWorkingDays(noticeSent, 5)` in a gateway condition agrees
// with a `P5D` working-days timer. The expression layer adds these to the FEEL context; the
// calendars come from the evaluation environment (the host's, for the case being run).
//
//   addWorkingDays(start, n)          add working days(start, n)
//   addSchoolDays(start, n)           add school days(start, n)
//   addCalendarDays(start, n)         add calendar days(start, n)
//   addDuration(start, duration, calendar?)   add duration(start, duration, calendar?)
//   isWorkingDay(day)                 is working day(day)
//   isSchoolDay(day)                  is school day(day)
//   workingDaysBetween(from, to)      (no spaced name: `between` is a FEEL keyword)
//   schoolDaysBetween(from, to)
//
// `start`/`day`: a FEEL date, a date and time, or ISO text (instance variables hold text): a
// date gives a date; a date and time gives a date and time (UTC) at the same London local
// time of day; a date and time without a zone, or text without one, is London local time.
// `duration` is ISO-8601 text ('P2W' = 10 qualifying days) or a FEEL duration; `calendar` is
// 'calendar-days' (default), 'working-days' or 'school-days'. A null argument gives null.
// `...DaysBetween` counts the qualifying days after `from`'s local date up to and including
// `to`'s, so `workingDaysBetween(a, addWorkingDays(a, n)) = n`; when `to` is earlier the count
// is negative (the days from `to` up to but not including `from`), the mirror of counting back.
// A count that needs a date beyond the loaded calendar fails the evaluation, naming the date.
// Like now() and today(), these names hide instance variables of the same names from FEEL.
import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, parseDate as feelDate, parseDateTime as feelDateTime } from 'feelin';
import { calendarDays, qualifyingDaysBetween, type Calendar } from './calendar.js';
import { parseDateTime, parseDuration, type Duration } from './iso.js';
import { fromLocal, localParts } from './london.js';

export type CalendarLookup = (id: string) => Calendar | undefined;

/** Thrown out of a FEEL function; the expression layer reports it as an evaluation failure. */
export class CalendarFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarFunctionError';
  }
}

type Day = { kind: 'date'; date: string } | { kind: 'instant'; at: string };

const fail = (message: string): never => {
  throw new CalendarFunctionError(message);
};

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v instanceof FeelDuration) return `the duration ${v.iso}`;
  return typeof v === 'object' ? 'a context' : `${typeof v} ${JSON.stringify(v)}`;
}

/** The UTC instant a FEEL date and time names; without a zone it is London local time. */
function instantOf(fn: string, v: FeelDateTime): string {
  if (v.zone !== null && v.iso.includes('@')) {
    return new Date(v.unwrap().toZonedDateTime(v.zone).epochMilliseconds).toISOString();
  }
  const parsed = parseDateTime(v.iso);
  return parsed.ok ? parsed.value : fail(`${fn}: ${parsed.message}`);
}

function readDay(fn: string, v: unknown): Day | null {
  if (v === null || v === undefined) return null;
  if (v instanceof FeelDate) return { kind: 'date', date: v.iso };
  if (v instanceof FeelDateTime) return { kind: 'instant', at: instantOf(fn, v) };
  if (typeof v === 'string') {
    const text = v.trim();
    const parsed = parseDateTime(text);
    if (!parsed.ok) return fail(`${fn}: ${parsed.message}`);
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { kind: 'date', date: text } : { kind: 'instant', at: parsed.value };
  }
  return fail(`${fn}: expected a date, a date and time or ISO-8601 text, got ${describe(v)}`);
}

function readCount(fn: string, n: unknown): number | null {
  if (n === null || n === undefined) return null;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return fail(`${fn}: the number of days must be a whole number, 0 or more; got ${describe(n)}`);
  return n;
}

function readDuration(fn: string, v: unknown): Duration | null {
  if (v === null || v === undefined) return null;
  const text = v instanceof FeelDuration ? v.iso : typeof v === 'string' ? v : fail(`${fn}: expected an ISO-8601 duration such as "P2W", got ${describe(v)}`);
  const parsed = parseDuration(text);
  return parsed.ok ? parsed.value : fail(`${fn}: ${parsed.message}`);
}

function calendarOf(fn: string, lookup: CalendarLookup | undefined, id: string): Calendar {
  const cal = id === 'calendar-days' ? calendarDays : lookup?.(id);
  return cal ?? fail(`${fn}: the ${id} calendar is not loaded for this case`);
}

/** `d` after `day` on `cal`: a date for a date, an instant (FEEL date and time, UTC) otherwise. */
function add(fn: string, cal: Calendar, day: Day, d: Duration): FeelDate | FeelDateTime | null {
  const timed = d.hours + d.minutes + d.seconds > 0;
  if (day.kind === 'date' && timed) fail(`${fn}: a date has no time of day to add hours, minutes or seconds to; use a date and time`);
  // A date is counted from its midday: any time of day gives the same local dates.
  const from = day.kind === 'date' ? fromLocal(day.date, '12:00') : day.at;
  const result = cal.add(from, d);
  if (!result.ok) return fail(`${fn}: ${result.code}: ${result.message}`);
  return day.kind === 'date' ? feelDate(localParts(result.value).date) : feelDateTime(result.value);
}

const localDate = (day: Day) => (day.kind === 'date' ? day.date : localParts(day.at).date);

function qualifies(fn: string, cal: Calendar, day: Day): boolean {
  const date = localDate(day);
  const answer = cal.isQualifyingDay ? cal.isQualifyingDay(date) : fail(`${fn}: the ${cal.id} calendar cannot say which days count`);
  return answer === 'unknown' ? fail(`${fn}: outside-calendar: ${cal.id} has no data for ${date}; it lies outside the loaded calendar`) : answer;
}

const zero: Duration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

function addDays(fn: string, calendarId: string, lookup: CalendarLookup | undefined): FeelFunction {
  return new FeelFunction(
    (start: unknown, n: unknown) => {
      const day = readDay(fn, start);
      const count = readCount(fn, n);
      if (day === null || count === null) return null;
      return add(fn, calendarOf(fn, lookup, calendarId), day, { ...zero, days: count });
    },
    ['start', 'n'],
  );
}

function isDay(fn: string, calendarId: string, lookup: CalendarLookup | undefined): FeelFunction {
  return new FeelFunction(
    (day: unknown) => {
      const d = readDay(fn, day);
      return d === null ? null : qualifies(fn, calendarOf(fn, lookup, calendarId), d);
    },
    ['day'],
  );
}

function daysBetween(fn: string, calendarId: string, lookup: CalendarLookup | undefined): FeelFunction {
  return new FeelFunction(
    (from: unknown, to: unknown) => {
      const a = readDay(fn, from);
      const b = readDay(fn, to);
      if (a === null || b === null) return null;
      const cal = calendarOf(fn, lookup, calendarId);
      const isQualifyingDay = cal.isQualifyingDay ?? fail(`${fn}: the ${cal.id} calendar cannot say which days count`);
      const n = qualifyingDaysBetween({ id: cal.id, isQualifyingDay }, localDate(a), localDate(b));
      return n.ok ? n.value : fail(`${fn}: ${n.code}: ${n.message}`);
    },
    ['from', 'to'],
  );
}

function addDuration(fn: string, lookup: CalendarLookup | undefined): FeelFunction {
  return new FeelFunction(
    (start: unknown, duration: unknown, calendar: unknown) => {
      const day = readDay(fn, start);
      const d = readDuration(fn, duration);
      if (day === null || d === null) return null;
      const id = calendar === null || calendar === undefined ? 'calendar-days' : typeof calendar === 'string' ? calendar : fail(`${fn}: the calendar must be text such as "working-days"`);
      return add(fn, calendarOf(fn, lookup, id), day, d);
    },
    ['start', 'duration', 'calendar'],
  );
}

const FUNCTIONS: [names: string[], make: (fn: string, lookup: CalendarLookup | undefined) => FeelFunction][] = [
  [['addCalendarDays', 'add calendar days'], (fn, l) => addDays(fn, 'calendar-days', l)],
  [['addWorkingDays', 'add working days'], (fn, l) => addDays(fn, 'working-days', l)],
  [['addSchoolDays', 'add school days'], (fn, l) => addDays(fn, 'school-days', l)],
  [['addDuration', 'add duration'], (fn, l) => addDuration(fn, l)],
  [['isWorkingDay', 'is working day'], (fn, l) => isDay(fn, 'working-days', l)],
  [['isSchoolDay', 'is school day'], (fn, l) => isDay(fn, 'school-days', l)],
  [['workingDaysBetween'], (fn, l) => daysBetween(fn, 'working-days', l)],
  [['schoolDaysBetween'], (fn, l) => daysBetween(fn, 'school-days', l)],
];

/** Every name the calendar functions go by in FEEL. */
export const CALENDAR_FUNCTION_NAMES: readonly string[] = FUNCTIONS.flatMap(([names]) => names);

/**
 * The calendar functions for a FEEL context, looking calendars up with `lookup`
 * ('calendar-days' is always there). With `text`, only the functions it names are built.
 */
export function calendarFunctions(lookup: CalendarLookup | undefined, text?: string): Record<string, FeelFunction> {
  const out: Record<string, FeelFunction> = {};
  for (const [names, make] of FUNCTIONS) {
    for (const name of names) if (text === undefined || text.includes(name)) out[name] = make(name, lookup);
  }
  return out;
}
