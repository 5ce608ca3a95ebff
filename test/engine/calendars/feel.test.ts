// The calendar functions in FEEL: the same arithmetic as timers and due dates, on the
// calendars the evaluation environment carries (EvalEnv.calendar).
import { parseDate } from 'feelin';
import { compileExpression, compileUnaryTests, ExpressionError, type EvalEnv } from '../../../engine/expressions/index.js';
import { parseDuration } from '../../../engine/time/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';

const NOW = '2026-11-02T09:00:00.000Z';
const BRYN = { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' };
const env: EvalEnv = { now: NOW, calendar: calendarsFor(BRYN) };

const vars = {
  // Instance variables are JSON: dates are ISO text.
  noticeSent: '2026-10-22T14:00:00.000Z',
  meetingDay: '2026-11-02',
  easterThursday: '2026-04-02T14:00:00.000Z',
  n: 5,
};

function evaluate(text: string, e: EvalEnv = env): unknown {
  const c = compileExpression(text, { defaultLanguage: 'feel' });
  if (!c.ok) throw new Error(`${text}: ${c.message}`);
  return c.expr.evaluate(vars, e);
}

function failure(text: string, e: EvalEnv = env): string {
  try {
    evaluate(text, e);
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('FEEL calendar functions', () => {
  it.each([
    // Working days: Good Friday and Easter Monday skipped; 15:00 BST kept (14:00Z).
    ['= addWorkingDays(date and time("2026-04-02T15:00:00"), 5)', '2026-04-13T14:00:00Z'],
    ['= add working days(date and time("2026-04-02T15:00:00"), 5)', '2026-04-13T14:00:00Z'],
    ['= addWorkingDays(easterThursday, n)', '2026-04-13T14:00:00Z'],
    ['= add working days(date("2026-04-02"), 5)', '2026-04-13'],
    ['= addWorkingDays("2026-12-24", 1)', '2026-12-29'],
    ['= addWorkingDays(date and time("2026-12-24T09:00:00Z"), 0)', '2026-12-24T09:00:00Z'],
    // School days at Ysgol y Bryn: half term 26-30 October and the INSET day on 2 November.
    ['= addSchoolDays(noticeSent, 3)', '2026-11-04T15:00:00Z'],
    ['= add school days(date and time("2026-10-22T15:00:00@Europe/London"), 3)', '2026-11-04T15:00:00Z'],
    ['= add school days(date and time("2026-10-22T15:00:00+01:00"), 3)', '2026-11-04T15:00:00Z'],
    ['= addSchoolDays(date("2026-10-22"), 3)', '2026-11-04'],
    ['= addSchoolDays(now(), 2)', '2026-11-04T09:00:00Z'],
    // Calendar days in London local time (not UTC): across the clock change 24 hours is not a day.
    ['= addCalendarDays(date and time("2026-03-28T09:00:00Z"), 1)', '2026-03-29T08:00:00Z'],
    ['= add calendar days(date("2026-03-28"), 1)', '2026-03-29'],
    // Any duration in any calendar; weeks are 5 qualifying days, months clamp and move on.
    ['= addDuration(date and time("2026-10-19T09:00:00"), "P2W", "school-days")', '2026-11-10T09:00:00Z'],
    ['= add duration(date("2026-01-31"), "P1M", "working-days")', '2026-03-02'],
    ['= addDuration(date and time("2026-03-28T09:00:00Z"), duration("P1D"))', '2026-03-29T08:00:00Z'],
    ['= addDuration(date and time("2026-04-02T15:00:00"), "P1DT2H", "working-days")', '2026-04-07T16:00:00Z'],
    // Which days count.
    ['= isSchoolDay(date("2026-11-02"))', false],
    ['= is school day(date("2026-11-03"))', true],
    ['= isSchoolDay("2026-10-28T10:00:00Z")', false],
    ['= isSchoolDay(meetingDay)', false],
    ['= is working day(date("2026-12-28"))', false],
    ['= isWorkingDay(date and time("2026-12-29T00:30:00Z"))', true],
    // In conditions.
    ['= now() < addSchoolDays(noticeSent, 3)', true],
    ['= if isSchoolDay(meetingDay) then "ok" else "pick another day"', 'pick another day'],
    ['= for d in ["2026-10-30", "2026-11-02", "2026-11-03"] return is school day(d)', [false, false, true]],
    // Null in, null out, as FEEL does.
    ['= addWorkingDays(null, 5)', null],
    ['= addWorkingDays(unknownVariable, 5)', null],
    ['= isSchoolDay(null)', null],
  ])('%s = %j', (text, expected) => {
    expect(evaluate(text)).toEqual(expected);
  });

  it('agree with the calendars timers and due dates use', () => {
    const working = calendarsFor(BRYN)('working-days')!;
    const school = calendarsFor(BRYN)('school-days')!;
    const d = (n: number) => {
      const p = parseDuration(`P${n}D`);
      if (!p.ok) throw new Error(p.message);
      return p.value;
    };
    for (const start of ['2026-09-01T08:00:00.000Z', '2026-12-17T15:45:00.000Z', '2027-03-18T09:00:00.000Z']) {
      for (const n of [1, 4, 9, 17]) {
        const viaCal = (c: typeof working) => {
          const r = c.add(start, d(n));
          return r.ok ? r.value.replace('.000Z', 'Z') : r;
        };
        expect(evaluate(`= addWorkingDays("${start}", ${n})`)).toBe(viaCal(working));
        expect(evaluate(`= addSchoolDays("${start}", ${n})`)).toBe(viaCal(school));
      }
    }
  });

  it('work in DMN unary tests too', () => {
    const t = compileUnaryTests('< addWorkingDays(date("2026-04-02"), 5)');
    if (!t.ok) throw new Error(t.message);
    expect(t.test(parseDate('2026-04-10'), {}, env)).toBe(true);
    expect(t.test(parseDate('2026-04-13'), {}, env)).toBe(false);
  });

  it.each([
    ['a deadline beyond the loaded calendar names the date', '= addSchoolDays("2027-07-19", 5)', /addSchoolDays: outside-calendar: school-days: no data for 2027-09-01/],
    ['a day outside the loaded calendar is not guessed', '= isSchoolDay(date("2027-09-06"))', /isSchoolDay: outside-calendar: school-days has no data for 2027-09-06/],
    ['working days beyond 2028', '= add working days(date("2028-12-29"), 1)', /add working days: outside-calendar: working-days: no data for 2029-01-01/],
    ['a negative count', '= addWorkingDays(noticeSent, -1)', /whole number, 0 or more/],
    ['a fractional count', '= addWorkingDays(noticeSent, 1.5)', /whole number, 0 or more/],
    ['text that is not a date', '= addWorkingDays("next Tuesday", 1)', /not an ISO-8601 date/],
    ['a date that does not exist', '= addWorkingDays("2026-02-30", 1)', /no such date/],
    ['a number for a date', '= isWorkingDay(20261102)', /expected a date/],
    ['hours added to a date', '= addDuration(date("2026-04-02"), "PT2H")', /a date has no time of day/],
    ['a bad duration', '= addDuration(noticeSent, "2 weeks", "working-days")', /not an ISO-8601 duration/],
    ['a calendar that does not exist', '= addDuration(noticeSent, "P1D", "school-weeks")', /the school-weeks calendar is not loaded/],
  ])('fail the evaluation for %s', (_name, text, message) => {
    expect(failure(text)).toMatch(message);
  });

  it('without the case calendars, only calendar days are available', () => {
    const bare: EvalEnv = { now: NOW };
    expect(evaluate('= addCalendarDays(date("2026-03-28"), 2)', bare)).toBe('2026-03-30');
    expect(failure('= addWorkingDays(noticeSent, 1)', bare)).toMatch(/addWorkingDays: the working-days calendar is not loaded for this case/);
    expect(failure('= isSchoolDay(meetingDay)', bare)).toMatch(/isSchoolDay: the school-days calendar is not loaded for this case/);
  });

  it('use the school of the environment: another school has other INSET days', () => {
    const glanMor: EvalEnv = { now: NOW, calendar: calendarsFor({ laId: 'swansea', schoolId: 'school-ysgol-glan-mor' }) };
    expect(evaluate('= isSchoolDay(date("2026-11-02"))', glanMor)).toBe(true);
    expect(evaluate('= isSchoolDay(date("2026-10-23"))', glanMor)).toBe(false);
    expect(evaluate('= isSchoolDay(date("2026-10-23"))')).toBe(true);
  });
});
