// The case's time and calendars, for a statechart's guards, delays and assignments. xstate calls
// those with the context and the event only, and the engine owns the clock: while it runs one
// step of a machine (synchronously, inside stepMachine) it lends the step's `now` and the host's
// calendars here, so a machine can count school days the way a BPMN model's timers and FEEL do:
//
//   delays: { statementDue: ({ context }) => caseTime().msUntil(context.statementDue) },
//   guard: ({ event }) => caseTime().counts(event.meetingDate, 'school-days'),
//
// Nothing here reads a clock: outside a step there is no case time, and asking for it throws.
import type { StepContext } from '../types.js';
import { calendarDays, parseDuration, type Calendar } from '../time/index.js';

/** A calendar that is not loaded, or a date outside its data: the machine cannot decide, so the command is refused. */
export class CaseTimeError extends Error {}

export interface CaseTime {
  /** The step's instant (ISO-8601 UTC). */
  readonly now: string;
  /** `from` plus an ISO-8601 duration counted in a calendar (default calendar days), as the counting rule says. */
  add(from: string, duration: string, calendar?: string): string;
  /** `from` less an ISO-8601 duration, counted back in a calendar: the mirror of add (a reminder before a due date). */
  subtract(from: string, duration: string, calendar?: string): string;
  /** Whether a local date counts in the calendar (a school day, a working day). */
  counts(date: string, calendar: string): boolean;
  /** Milliseconds from now until `instant`, at least 0: what a delay of xstate returns. */
  msUntil(instant: string): number;
}

let current: { now: string; calendar(id: string): Calendar | undefined } | undefined;

/** Runs `fn` (one step of a machine) with the step's time and calendars lent to caseTime(). */
export function withCaseTime<T>(ctx: StepContext, fn: () => T): T {
  const outer = current;
  current = { now: ctx.now, calendar: (id) => (id === 'calendar-days' ? calendarDays : ctx.host?.calendar?.(id)) };
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** The time and calendars of the step the engine is running; throws outside a step. */
export function caseTime(): CaseTime {
  const lent = current;
  if (!lent) throw new CaseTimeError('caseTime() is only available while the engine runs a step of the machine');
  const calendar = (id: string): Calendar => {
    const cal = lent.calendar(id);
    if (!cal) throw new CaseTimeError(`Calendar "${id}" is not loaded for this case`);
    return cal;
  };
  const count = (way: 'add' | 'subtract', from: string, duration: string, calendarId: string): string => {
    const d = parseDuration(duration);
    if (!d.ok) throw new CaseTimeError(`"${duration}" is not an ISO-8601 duration`);
    const at = calendar(calendarId)[way](from, d.value);
    if (!at.ok) throw new CaseTimeError(at.message);
    return at.value;
  };
  return {
    now: lent.now,
    add: (from, duration, calendarId = 'calendar-days') => count('add', from, duration, calendarId),
    subtract: (from, duration, calendarId = 'calendar-days') => count('subtract', from, duration, calendarId),
    counts(date, calendarId) {
      const cal = calendar(calendarId);
      const answer = cal.isQualifyingDay ? cal.isQualifyingDay(date.slice(0, 10)) : true;
      if (answer === 'unknown') throw new CaseTimeError(`${calendarId}: no data for ${date.slice(0, 10)}; it lies outside the loaded calendar`);
      return answer;
    },
    msUntil(instant) {
      return Math.max(0, Date.parse(instant) - Date.parse(lent.now));
    },
  };
}
