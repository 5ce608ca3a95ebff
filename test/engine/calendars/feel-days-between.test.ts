// workingDaysBetween(from, to) and schoolDaysBetween(from, to) in FEEL: the qualifying days after
// `from`'s local date up to and including `to`'s, negative when `to` is earlier, so a model
// can count the days itself instead of taking the count from a message.
import fc from 'fast-check';
import { compileExpression, ExpressionError, type EvalEnv } from '../../../engine/expressions/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';

const BRYN = { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' };
const env: EvalEnv = { now: '2026-11-02T09:00:00.000Z', calendar: calendarsFor(BRYN) };

const vars = { firstDay: '2026-10-19', lastDay: '2026-11-06', returned: '2026-11-09T08:30:00.000Z', missing: null };

function evaluate(text: string, variables: Record<string, unknown> = vars): unknown {
  const c = compileExpression(text, { defaultLanguage: 'feel' });
  if (!c.ok) throw new Error(`${text}: ${c.message}`);
  return c.expr.evaluate(variables, env);
}

function failure(text: string): string {
  try {
    evaluate(text);
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('counting qualifying days between two dates', () => {
  it.each([
    // Good Friday and Easter Monday do not count: Thu 2 Apr to Mon 13 Apr 2026 is 5 working days.
    ['= workingDaysBetween(date("2026-04-02"), date("2026-04-13"))', 5],
    ['= workingDaysBetween(date("2026-04-13"), date("2026-04-02"))', -5],
    ['= workingDaysBetween("2026-04-02", "2026-04-02")', 0],
    // A weekend at either end: Sat to Sun is none; Fri to Mon one.
    ['= workingDaysBetween("2026-11-07", "2026-11-08")', 0],
    ['= workingDaysBetween("2026-11-06", "2026-11-09")', 1],
    // Christmas 2026: 25 and 28 Dec and 1 Jan are bank holidays.
    ['= workingDaysBetween("2026-12-21", "2027-01-07")', 10],
    // Times of day do not matter, only London local dates: 23:30Z on 25 Oct is 23:30 GMT that day.
    ['= workingDaysBetween(date and time("2026-10-23T23:30:00Z"), date and time("2026-10-25T23:30:00Z"))', 0],
    ['= workingDaysBetween(returned, date("2026-11-12"))', 3],
    // Ysgol y Bryn: half term 26-30 Oct and its INSET day on Mon 2 Nov do not count.
    ['= schoolDaysBetween("2026-10-22", "2026-11-04")', 3],
    ['= schoolDaysBetween(date("2026-11-04"), date("2026-10-22"))', -3],
    ['= schoolDaysBetween(firstDay, lastDay)', 8],
    ['= schoolDaysBetween("2026-12-18", "2027-01-05")', 1],
    ['= workingDaysBetween(firstDay, lastDay) >= 10', true],
    ['= workingDaysBetween(missing, lastDay)', null],
  ])('%s is %j', (text, expected) => {
    expect(evaluate(text)).toEqual(expected);
  });

  it('fails outside the loaded calendar, naming the date', () => {
    expect(failure('= schoolDaysBetween("2027-07-01", "2027-09-10")')).toContain('outside-calendar: school-days: no data for 2027-09-01');
    expect(failure('= workingDaysBetween("2024-12-30", "2025-01-06")')).toContain('no data for 2024-12-31');
  });

  it('refuses what is not a date', () => {
    expect(failure('= workingDaysBetween(3, "2026-11-06")')).toContain('workingDaysBetween: expected a date');
    expect(failure('= schoolDaysBetween("2026-11-06", "next week")')).toContain('schoolDaysBetween: "next week" is not an ISO-8601 date');
  });

  it('is the count that adding the days undoes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 40 }), (day, n) => {
        const from = new Date(Date.parse('2025-09-01T00:00:00Z') + day * 86_400_000).toISOString().slice(0, 10);
        const v = { from, n };
        expect(evaluate('= workingDaysBetween(from, addWorkingDays(from, n))', v)).toBe(n);
        // Back the other way `from` itself counts when it is a working day, the later date not.
        const fromCounts = evaluate('= isWorkingDay(from)', v) === true;
        const back = n === 0 ? 0 : fromCounts ? -n : -(n - 1);
        expect(evaluate('= workingDaysBetween(addWorkingDays(from, n), from)', v)).toBe(back);
      }),
      { numRuns: 100 },
    );
  });
});
