// BPMN timer definitions (timeDate, timeDuration, timeCycle) to due instants. A due date is
// computed once, when the timer is created, and stored (shared/DESIGN.md §3).
import { elapsedMs, type Calendar, type OutsideCalendar } from './calendar.js';
import { formatDuration, parseCycle, parseDateTime, parseDuration, type Duration } from './iso.js';
import { localParts } from './london.js';

export type TimerSpec = { kind: 'date' | 'duration' | 'cycle'; value: string };

export type TimerFailure =
  | { ok: false; code: 'invalid-timer' | 'cycle-ended'; message: string }
  | OutsideCalendar;

export type FirstDue =
  | {
      ok: true;
      dueAt: string;
      /** Cycles only: firings still to come after this one; -1 when unbounded. */
      repeat?: number;
      /** Cycles only: the period in ISO form, for `nextDue`. */
      period?: string;
      /** Cycles only: no firing is due after this instant. */
      end?: string;
    }
  | TimerFailure;

/** The next firing of a cycle; null when the cycle is over. */
export type NextDue = { ok: true; dueAt: string; repeat: number } | null | TimerFailure;

type Occurrence = { dueAt: string; repeat: number };

const invalid = (message: string): TimerFailure => ({ ok: false, code: 'invalid-timer', message });

/** Deploy-time validation of a literal timer value. */
export function checkTimerSpec(spec: TimerSpec): { ok: true } | { ok: false; message: string } {
  const parsed = spec.kind === 'date' ? parseDateTime(spec.value) : spec.kind === 'duration' ? parseDuration(spec.value) : parseCycle(spec.value);
  return parsed.ok ? { ok: true } : parsed;
}

/**
 * The first due instant, counted from `now`.
 * - date: that instant, even if already past (the timer is then due at once).
 * - duration: `now` plus the duration on `cal`.
 * - cycle without a start: `now` plus one period. With a start: the start, or, when the start
 *   is before `now`, the first occurrence at or after `now` (start, start + period, ...), the
 *   occurrences before `now` using up repetitions. If none is left, or the first falls after
 *   the cycle's end, the failure is 'cycle-ended'.
 */
export function firstDue(spec: TimerSpec, now: string, cal: Calendar): FirstDue {
  if (spec.kind === 'date') {
    const at = parseDateTime(spec.value);
    return at.ok ? { ok: true, dueAt: at.value } : invalid(at.message);
  }
  if (spec.kind === 'duration') {
    const d = parseDuration(spec.value);
    if (!d.ok) return invalid(d.message);
    const at = cal.add(now, d.value);
    return at.ok ? { ok: true, dueAt: at.value } : at;
  }
  const cycle = parseCycle(spec.value);
  if (!cycle.ok) return invalid(cycle.message);
  const { repetitions, start, period, end } = cycle.value;
  const repeat = repetitions === -1 ? -1 : repetitions - 1;
  let first: Occurrence | null | OutsideCalendar;
  if (start === undefined) {
    const at = cal.add(now, period);
    first = at.ok ? { dueAt: at.value, repeat } : at;
  } else {
    first = skipPast({ dueAt: start, repeat }, period, cal, Date.parse(now), false);
  }
  const ended: TimerFailure = { ok: false, code: 'cycle-ended', message: `cycle "${spec.value}" has no firing left at or after ${now}` };
  if (first === null) return ended;
  if ('ok' in first) return afterEnd(first, end) ? ended : first;
  if (end !== undefined && Date.parse(first.dueAt) > Date.parse(end)) return ended;
  return { ok: true, dueAt: first.dueAt, repeat: first.repeat, period: formatDuration(period), ...(end === undefined ? {} : { end }) };
}

/**
 * After a cycle fired for `prev.dueAt` (its scheduled instant, not when it ran): the next due
 * instant, or null when the repetitions are used up or the next would fall after `prev.end`.
 * After downtime the late firing of `prev` stands for every period missed: occurrences at or
 * before `now` are skipped, using up their repetitions, so the cycle fires once, not N times.
 * Each occurrence is the previous one plus the period (31 Jan + P1M, + P1M = 28 Feb, 28 Mar).
 */
export function nextDue(prev: { dueAt: string; repeat: number; period: string; end?: string }, now: string, cal: Calendar): NextDue {
  const period = parseDuration(prev.period);
  if (!period.ok) return invalid(period.message);
  const next = step(prev, period.value, cal);
  const due = next === null || 'ok' in next ? next : skipPast(next, period.value, cal, Date.parse(now), true);
  if (due === null) return null;
  if ('ok' in due) return afterEnd(due, prev.end) ? null : due;
  if (prev.end !== undefined && Date.parse(due.dueAt) > Date.parse(prev.end)) return null;
  return { ok: true, ...due };
}

/**
 * A calendar without data for a day after the cycle's end has not failed: whatever instant
 * the count reached would be past the end, so the cycle is simply over (a school-days cycle
 * ending on the last day of the loaded term).
 */
function afterEnd(failure: OutsideCalendar, end: string | undefined): boolean {
  return end !== undefined && failure.date > localParts(end).date;
}

/** The occurrence one period on; null when no repetition is left. */
function step(occ: Occurrence, period: Duration, cal: Calendar): Occurrence | null | OutsideCalendar {
  if (occ.repeat === 0) return null;
  const at = cal.add(occ.dueAt, period);
  return at.ok ? { dueAt: at.value, repeat: occ.repeat === -1 ? -1 : occ.repeat - 1 } : at;
}

/**
 * Steps on from `occ` while its instant is before `nowMs` (or at it, when `nowIsPast`);
 * null when the repetitions run out first.
 */
function skipPast(occ: Occurrence, period: Duration, cal: Calendar, nowMs: number, nowIsPast: boolean): Occurrence | null | OutsideCalendar {
  const past = (at: string) => (nowIsPast ? Date.parse(at) <= nowMs : Date.parse(at) < nowMs);
  let current: Occurrence | null | OutsideCalendar = jumpElapsed(occ, period, nowMs);
  while (current !== null && !('ok' in current) && past(current.dueAt)) current = step(current, period, cal);
  return current;
}

/**
 * A period of hours, minutes and seconds alone is the same span every time, so occurrences
 * well before `nowMs` are jumped over at once (a PT1S cycle after a week of downtime would
 * otherwise take 600,000 steps). It stops a period short so that single steps decide the
 * boundary at `nowMs`.
 */
function jumpElapsed(occ: Occurrence, period: Duration, nowMs: number): Occurrence {
  if (period.years + period.months + period.weeks + period.days > 0) return occ;
  const from = Date.parse(occ.dueAt);
  const stepMs = elapsedMs(period);
  const wanted = Math.max(0, Math.floor((nowMs - from) / stepMs) - 1);
  const jumps = occ.repeat === -1 ? wanted : Math.min(wanted, occ.repeat);
  return { dueAt: new Date(from + jumps * stepMs).toISOString(), repeat: occ.repeat === -1 ? -1 : occ.repeat - jumps };
}
