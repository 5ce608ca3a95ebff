import fc from 'fast-check';
import { addLocalDays, addLocalMonths, fromLocal, localParts, weekday } from '../../../engine/time/index.js';

describe('localParts', () => {
  it.each([
    ['2026-01-15T12:00:00Z', '2026-01-15', '12:00:00.000', 0],
    ['2026-07-01T23:30:00.250Z', '2026-07-02', '00:30:00.250', 60],
    ['2026-03-29T00:59:59.999Z', '2026-03-29', '00:59:59.999', 0],
    ['2026-03-29T01:00:00Z', '2026-03-29', '02:00:00.000', 60],
    ['2026-10-25T00:30:00Z', '2026-10-25', '01:30:00.000', 60],
    ['2026-10-25T01:30:00Z', '2026-10-25', '01:30:00.000', 0],
    // Before 1970 (negative epoch milliseconds), and in the 1968-71 all-year BST experiment.
    ['1966-12-31T23:59:59.500Z', '1966-12-31', '23:59:59.500', 0],
    ['1969-12-31T23:59:59.500Z', '1970-01-01', '00:59:59.500', 60],
  ])('%s is %s %s at +%i minutes', (instant, date, time, offsetMinutes) => {
    expect(localParts(instant)).toEqual({ date, time, offsetMinutes });
  });
});

describe('fromLocal', () => {
  it.each([
    ['2026-01-15', '12:00', '2026-01-15T12:00:00.000Z'],
    ['2026-07-01', '12:00:30.5', '2026-07-01T11:00:30.500Z'],
    ['2026-07-02', '00:30:00.250', '2026-07-01T23:30:00.250Z'],
    ['2026-03-29', '00:59:59.999', '2026-03-29T00:59:59.999Z'],
    ['2026-03-29', '01:00', '2026-03-29T01:00:00.000Z'], // no such time: shifted to 02:00 BST
    ['2026-03-29', '01:59', '2026-03-29T01:59:00.000Z'],
    ['2026-03-29', '02:00', '2026-03-29T01:00:00.000Z'],
    ['2026-10-25', '00:59', '2026-10-24T23:59:00.000Z'],
    ['2026-10-25', '01:00', '2026-10-25T00:00:00.000Z'], // twice: the first, in BST
    ['2026-10-25', '01:59', '2026-10-25T00:59:00.000Z'],
    ['2026-10-25', '02:00', '2026-10-25T02:00:00.000Z'],
  ])('%s %s is %s', (date, time, instant) => {
    expect(fromLocal(date, time)).toBe(instant);
  });

  it('gives back an instant showing the same wall-clock time, the earlier one when there are two', () => {
    const instants = fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (d) => {
        const instant = d.toISOString();
        const { date, time } = localParts(instant);
        const back = fromLocal(date, time);
        const shown = localParts(back);
        return shown.date === date && shown.time === time && (back === instant || Date.parse(back) === Date.parse(instant) - 3_600_000);
      }),
    );
  });
});

describe('local date arithmetic', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s + %i days is %s', (date, n, expected) => {
    expect(addLocalDays(date, n)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-05-10', 0, '2026-05-10'],
  ])('%s + %i months is %s', (date, n, expected) => {
    expect(addLocalMonths(date, n)).toBe(expected);
  });

  it.each([
    ['2026-04-03', 5],
    ['2026-04-05', 7],
    ['2026-04-06', 1],
    ['2026-12-25', 5],
    ['2026-12-26', 6],
    ['2026-12-28', 1],
  ])('%s is ISO weekday %i', (date, day) => {
    expect(weekday(date)).toBe(day);
  });
});
