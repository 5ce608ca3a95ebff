// Time for the pure core: ISO-8601 parsing, Europe/London local time, calendars, timers.
export { parseDuration, formatDuration, parseDateTime, parseCycle, type Duration, type Cycle, type Parsed } from './iso.js';
export { localParts, fromLocal, addLocalDays, addLocalMonths, weekday, type LocalParts } from './london.js';
export { calendarDays, dayCountingCalendar, workingDays, elapsedMs, qualifyingDaysBetween, type Calendar, type OutsideCalendar } from './calendar.js';
export { checkTimerSpec, firstDue, nextDue, type TimerSpec, type TimerFailure, type FirstDue, type NextDue } from './timer.js';
export { schoolDays, schoolDayInfo, isSchoolDay, isSchoolHoliday, isTeacherDay, type Term, type DateRange, type SchoolDaysSpec, type SchoolDayInfo, type SchoolCalendar } from './school.js';
export {
  calendarsFor,
  schoolCalendarFor,
  schoolDaysSpec,
  schoolYearsFor,
  workingDaysOf,
  teacherDays,
  checkCalendarData,
  CALENDAR_IDS,
  type CalendarData,
  type CalendarOwner,
  type BankHolidayData,
  type SchoolYear,
  type LaYearOverride,
  type LocalAuthority,
  type TermDatesData,
  type SchoolRecord,
} from './calendars.js';
