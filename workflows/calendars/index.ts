// The calendar data Camau ships: England and Wales bank holidays 2025-2028, Welsh school term
// dates 2025/26 and 2026/27 (national pattern and LA overrides) and per-school INSET and
// closure days. Sources and assumptions are recorded in each JSON file. The engine never reads
// these files: a caller loads them here and lends the engine `calendarsFor(owner)` as its
// host's `calendar` (engine/types.ts EngineHost).
import { calendarsFor as resolve, checkCalendarData, schoolCalendarFor as resolveSchool, type CalendarData, type CalendarOwner } from '../../engine/time/index.js';
import bankHolidays from './bank-holidays-england-and-wales.json' with { type: 'json' };
import schools from './schools.json' with { type: 'json' };
import termDates from './welsh-term-dates.json' with { type: 'json' };

function checked(data: CalendarData): CalendarData {
  const problems = checkCalendarData(data);
  if (problems.length > 0) throw new Error(`workflows/calendars: the calendar data is not usable:\n- ${problems.join('\n- ')}`);
  return data;
}

export const calendarData: CalendarData = checked({ bankHolidays, termDates, schools: schools.schools });

/** The calendars of a case whose LA (a key of welsh-term-dates.json localAuthorities) and school are given; an `EngineHost['calendar']`. */
export function calendarsFor(owner: CalendarOwner, data: CalendarData = calendarData) {
  return resolve(owner, data);
}

/** The school-days calendar with its `info(date)` (school day, holiday, INSET...), for the "no meeting in a school holiday" checks. */
export function schoolCalendarFor(owner: CalendarOwner, data: CalendarData = calendarData) {
  return resolveSchool(owner, data);
}

/** The LA key for an LA's English or Welsh name ('Carmarthenshire', 'Sir Gâr' -> 'carmarthenshire'); undefined when not listed. */
export function laKeyForName(name: string, data: CalendarData = calendarData): string | undefined {
  const wanted = name.trim().toLowerCase();
  return Object.entries(data.termDates.localAuthorities).find(([key, la]) => key === wanted || la.name.toLowerCase() === wanted || la.nameCy?.toLowerCase() === wanted)?.[0];
}
