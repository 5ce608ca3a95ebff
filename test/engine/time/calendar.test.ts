import { calendarDays, dayCountingCalendar, type Calendar, type Duration } from '../../../engine/time/index.js';
import { duration, workingDays2026, workingDays2026to2027 } from './fixtures.js';

const P = (parts: Partial<Duration>) => duration(parts);

function expectDue(cal: Calendar, from: string, d: Duration, expected: string) {
  expect(cal.add(from, d)).toEqual({ ok: true, value: expected });
}

describe('calendar days', () => {
  it.each([
    // 09:00 GMT + P1D = 09:00 BST, 23 real hours.
    ['2026-03-28T09:00:00.000Z', P({ days: 1 }), '2026-03-29T08:00:00.000Z'],
    // 09:00 BST + P1D = 09:00 GMT, 25 real hours.
    ['2026-10-24T08:00:00.000Z', P({ days: 1 }), '2026-10-25T09:00:00.000Z'],
    // Hours are elapsed time, not wall-clock time.
    ['2026-03-28T09:00:00.000Z', P({ hours: 24 }), '2026-03-29T09:00:00.000Z'],
    ['2026-01-01T00:00:00.000Z', P({ days: 1, hours: 1, minutes: 30 }), '2026-01-02T01:30:00.000Z'],
    ['2026-01-01T00:00:00.000Z', P({ seconds: 6.5 }), '2026-01-01T00:00:06.500Z'],
    ['2026-06-01T09:00:00.000Z', P({ weeks: 2 }), '2026-06-15T09:00:00.000Z'],
    // Months clamp to the month's end.
    ['2026-01-31T10:00:00.000Z', P({ months: 1 }), '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', P({ months: 1 }), '2028-02-29T10:00:00.000Z'],
    ['2026-03-31T09:00:00.000Z', P({ months: 1 }), '2026-04-30T09:00:00.000Z'],
    ['2028-02-29T12:00:00.000Z', P({ years: 1 }), '2029-02-28T12:00:00.000Z'],
    // Months before days: 30 Jan + 1 month = 28 Feb, + 1 day = 1 March.
    ['2026-01-30T10:00:00.000Z', P({ months: 1, days: 1 }), '2026-03-01T10:00:00.000Z'],
    // 01:30 on 29 March does not exist: 02:30 BST.
    ['2026-03-28T01:30:00.000Z', P({ days: 1 }), '2026-03-29T01:30:00.000Z'],
    // 01:30 on 25 October happens twice: the first (BST) one.
    ['2026-10-24T00:30:00.000Z', P({ days: 1 }), '2026-10-25T00:30:00.000Z'],
    // From the second 01:30, elapsed time is not re-read as wall-clock time.
    ['2026-10-25T01:30:00.000Z', P({ hours: 1 }), '2026-10-25T02:30:00.000Z'],
    ['2026-10-25T01:30:00.000Z', P({ days: 1 }), '2026-10-26T01:30:00.000Z'],
  ])('%s + %o = %s', (from, d, expected) => {
    expectDue(calendarDays, from, d, expected);
  });

  it('fails past the last date it handles', () => {
    expect(calendarDays.add('9999-12-31T00:00:00.000Z', P({ days: 1 }))).toMatchObject({ ok: false, code: 'outside-calendar', date: '9999-12-31' });
    expect(calendarDays.add('2026-01-01T00:00:00.000Z', P({ days: 9e15 }))).toMatchObject({ ok: false, code: 'outside-calendar' });
    expect(calendarDays.add('2026-01-01T00:00:00.000Z', P({ hours: 9e12 }))).toMatchObject({ ok: false, code: 'outside-calendar' });
  });
});

describe('working days (England and Wales, 2026-2027)', () => {
  it.each([
    // Easter 2026: Good Friday 3 April, Easter Monday 6 April. 08:00Z is 09:00 BST.
    ['Thursday before Easter + 1', '2026-04-02T08:00:00.000Z', P({ days: 1 }), '2026-04-07T08:00:00.000Z'],
    ['Wednesday before Easter + 2', '2026-04-01T08:00:00.000Z', P({ days: 2 }), '2026-04-07T08:00:00.000Z'],
    ['Good Friday + 1', '2026-04-03T08:00:00.000Z', P({ days: 1 }), '2026-04-07T08:00:00.000Z'],
    ['Easter Saturday + 1', '2026-04-04T08:00:00.000Z', P({ days: 1 }), '2026-04-07T08:00:00.000Z'],
    ['a week from the Monday before Easter', '2026-03-30T08:00:00.000Z', P({ weeks: 1 }), '2026-04-08T08:00:00.000Z'],
    // Christmas 2026: 25 December (Friday) and 28 December (substitute Boxing Day); 1 January 2027.
    ['Christmas Eve + 1', '2026-12-24T09:00:00.000Z', P({ days: 1 }), '2026-12-29T09:00:00.000Z'],
    ['23 December + 3', '2026-12-23T09:00:00.000Z', P({ days: 3 }), '2026-12-30T09:00:00.000Z'],
    ['a week from Christmas Eve', '2026-12-24T09:00:00.000Z', P({ weeks: 1 }), '2027-01-05T09:00:00.000Z'],
    // The local time of day is kept across the clock change.
    ['Friday before BST + 1', '2026-03-27T09:00:00.000Z', P({ days: 1 }), '2026-03-30T08:00:00.000Z'],
    // Hours are elapsed time, whatever the day.
    ['Friday 16:00 BST + 2 hours', '2026-06-05T15:00:00.000Z', P({ hours: 2 }), '2026-06-05T17:00:00.000Z'],
    ['Easter Sunday + 1 hour', '2026-04-05T10:00:00.000Z', P({ hours: 1 }), '2026-04-05T11:00:00.000Z'],
    ['Friday + 1 day 2 hours', '2026-06-05T15:00:00.000Z', P({ days: 1, hours: 2 }), '2026-06-08T17:00:00.000Z'],
    // Months: a month on that lands on a weekend moves to the next working day.
    ['31 January + 1 month (Saturday 28 February)', '2026-01-31T10:00:00.000Z', P({ months: 1 }), '2026-03-02T10:00:00.000Z'],
    ['10 March + 1 month (Friday 10 April, BST)', '2026-03-10T10:00:00.000Z', P({ months: 1 }), '2026-04-10T09:00:00.000Z'],
    ['15 January + 1 month 1 day (after Sunday 15 February)', '2026-01-15T10:00:00.000Z', P({ months: 1, days: 1 }), '2026-02-16T10:00:00.000Z'],
  ])('%s', (_name, from, d, expected) => {
    expectDue(workingDays2026to2027, from, d, expected);
  });

  it.each([
    ['days', '2026-12-30T09:00:00.000Z', P({ days: 3 }), '2027-01-01'],
    ['weeks', '2026-12-21T09:00:00.000Z', P({ weeks: 2 }), '2027-01-01'],
    ['months', '2026-12-15T09:00:00.000Z', P({ months: 1 }), '2027-01-15'],
  ])('fails naming the first date beyond the loaded data (%s)', (_unit, from, d, date) => {
    const result = workingDays2026.add(from, d);
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date });
    if (!result.ok) expect(result.message).toContain(date);
  });

  it('answers when the count ends before the data does', () => {
    expectDue(workingDays2026, '2026-12-24T09:00:00.000Z', P({ days: 3 }), '2026-12-31T09:00:00.000Z');
  });
});

describe('dayCountingCalendar', () => {
  it('asks only about the dates the count needs, and names its calendar', () => {
    const asked: string[] = [];
    const schoolDays = dayCountingCalendar('school-days', (date) => {
      asked.push(date);
      if (date > '2026-07-20') return 'unknown';
      return date !== '2026-07-15';
    });
    expectDue(schoolDays, '2026-07-13T08:00:00.000Z', P({ days: 2 }), '2026-07-16T08:00:00.000Z');
    expect(asked).toEqual(['2026-07-14', '2026-07-15', '2026-07-16']);

    const result = schoolDays.add('2026-07-13T08:00:00.000Z', P({ weeks: 2 }));
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date: '2026-07-21' });
    if (!result.ok) expect(result.message).toMatch(/^school-days: .*2026-07-21/);
  });

  it('fails rather than counting past the last date it handles', () => {
    const everyDay = dayCountingCalendar('every-day', () => true);
    expect(everyDay.add('9999-12-30T12:00:00.000Z', P({ days: 2 }))).toMatchObject({ ok: false, code: 'outside-calendar', date: '9999-12-31' });
  });
});
