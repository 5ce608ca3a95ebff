// schoolDays on small made-up data: what each kind of day is, how the count treats it, and
// that a date outside the data is never guessed.
import { calendarDays, isSchoolDay, isSchoolHoliday, isTeacherDay, schoolDays, workingDays, type SchoolDaysSpec } from '../../../engine/time/index.js';
import { duration } from './fixtures.js';

// One term in June 2026 with a half term, a (made-up) bank holiday, an INSET day and a closure.
const spec: SchoolDaysSpec = {
  terms: [{ name: 'summer', start: '2026-06-01', end: '2026-06-30', halfTerms: [{ start: '2026-06-15', end: '2026-06-19' }] }],
  bankHolidays: ['2026-06-10'],
  inset: ['2026-06-02'],
  closures: ['2026-06-24'],
  range: { from: '2026-05-25', to: '2026-07-10' },
};
const cal = schoolDays(spec);

describe('schoolDays: what a date is', () => {
  it.each([
    ['2026-06-01', 'a weekday in term', { schoolDay: true, teacherDay: true, holiday: false }],
    ['2026-06-02', 'an INSET day', { schoolDay: false, teacherDay: true, holiday: false, inset: true }],
    ['2026-06-06', 'a Saturday in term', { schoolDay: false, teacherDay: false, holiday: false, weekend: true }],
    ['2026-06-10', 'a bank holiday in term', { schoolDay: false, teacherDay: false, holiday: true, bankHoliday: true }],
    ['2026-06-15', 'a half-term Monday', { schoolDay: false, teacherDay: false, holiday: true, halfTerm: true }],
    ['2026-06-20', 'the Saturday ending half term', { schoolDay: false, holiday: false, weekend: true }],
    ['2026-06-24', 'a closure day', { schoolDay: false, teacherDay: false, holiday: false, closure: true }],
    ['2026-05-29', 'a weekday before the term', { schoolDay: false, teacherDay: false, holiday: true, inTerm: false }],
    ['2026-07-01', 'a weekday after the term', { schoolDay: false, holiday: true, inTerm: false }],
  ])('%s is %s', (date, _what, expected) => {
    expect(cal.info(date)).toMatchObject({ date, ...expected });
    expect(cal.isQualifyingDay(date)).toBe(expected.schoolDay);
    expect(isSchoolDay(cal, date)).toBe(expected.schoolDay);
    expect(isSchoolHoliday(cal, date)).toBe(expected.holiday);
    if ('teacherDay' in expected) expect(isTeacherDay(cal, date)).toBe(expected.teacherDay);
  });

  it.each(['2026-05-24', '2026-07-11', '2025-06-01'])('%s, outside the data, is unknown', (date) => {
    expect(cal.info(date)).toBe('unknown');
    expect(isSchoolDay(cal, date)).toBe('unknown');
    expect(isSchoolHoliday(cal, date)).toBe('unknown');
    expect(isTeacherDay(cal, date)).toBe('unknown');
  });
});

describe('schoolDays: counting', () => {
  it.each([
    // 10:00Z is 11:00 BST: the local time of day is kept.
    ['Friday before term + 1', '2026-05-29T10:00:00.000Z', duration({ days: 1 }), '2026-06-01T10:00:00.000Z'],
    ['+ 2 skips the INSET day', '2026-05-29T10:00:00.000Z', duration({ days: 2 }), '2026-06-03T10:00:00.000Z'],
    ['+ 1 week is 5 school days', '2026-05-29T10:00:00.000Z', duration({ weeks: 1 }), '2026-06-08T10:00:00.000Z'],
    ['+ 2 skips the bank holiday', '2026-06-08T10:00:00.000Z', duration({ days: 2 }), '2026-06-11T10:00:00.000Z'],
    ['across half term', '2026-06-12T10:00:00.000Z', duration({ days: 1 }), '2026-06-22T10:00:00.000Z'],
    ['skips the closure', '2026-06-23T10:00:00.000Z', duration({ days: 1 }), '2026-06-25T10:00:00.000Z'],
    ['from an INSET day', '2026-06-02T07:00:00.000Z', duration({ days: 1 }), '2026-06-03T07:00:00.000Z'],
    ['from a weekend', '2026-06-06T15:00:00.000Z', duration({ days: 1 }), '2026-06-08T15:00:00.000Z'],
    ['hours are elapsed time', '2026-06-12T10:00:00.000Z', duration({ days: 1, hours: 2 }), '2026-06-22T12:00:00.000Z'],
  ])('%s', (_name, from, d, expected) => {
    expect(cal.add(from, d)).toEqual({ ok: true, value: expected });
  });

  it('fails naming the first date beyond the data, never guessing it', () => {
    const result = cal.add('2026-06-29T10:00:00.000Z', duration({ days: 3 }));
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date: '2026-07-11' });
    if (!result.ok) expect(result.message).toMatch(/^school-days: .*2026-07-11/);
  });

  it('fails for a start before the data', () => {
    expect(cal.add('2026-05-20T10:00:00.000Z', duration({ days: 1 }))).toMatchObject({ ok: false, date: '2026-05-21' });
  });

  it('takes another id when given one', () => {
    expect(schoolDays(spec, 'school-days:test').id).toBe('school-days:test');
  });
});

describe('isQualifyingDay on the other calendars', () => {
  it('calendar days: every date Camau handles', () => {
    expect(calendarDays.isQualifyingDay?.('2026-12-25')).toBe(true);
    expect(calendarDays.isQualifyingDay?.('10000-01-01')).toBe('unknown');
  });

  it('working days: weekdays less bank holidays, unknown outside the data', () => {
    const cal = workingDays(['2026-12-25'], { from: '2026-01-01', to: '2026-12-31' });
    expect(cal.isQualifyingDay?.('2026-12-24')).toBe(true);
    expect(cal.isQualifyingDay?.('2026-12-25')).toBe(false);
    expect(cal.isQualifyingDay?.('2026-12-26')).toBe(false);
    expect(cal.isQualifyingDay?.('2027-01-04')).toBe('unknown');
  });
});
