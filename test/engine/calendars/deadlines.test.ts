// Deadlines on the shipped calendars (workflows/calendars/): working days and school days in
// 2025-2027 across half terms, Christmas, Easter, bank holidays and the clock changes
// (29 Mar 2026, 25 Oct 2026, 28 Mar 2027, 31 Oct 2027); one school's INSET days not moving
// another's deadlines; the Powys override; weeks as 5 qualifying days; and failures naming
// the date beyond the loaded data. Instants are UTC: 09:00 GMT is 09:00Z, 09:00 BST is 08:00Z.
import { calendarDays, parseDuration, type Calendar, type CalendarOwner } from '../../../engine/time/index.js';
import { calendarData, calendarsFor, schoolCalendarFor } from '../../../workflows/calendars/index.js';

const D = (text: string) => {
  const d = parseDuration(text);
  if (!d.ok) throw new Error(d.message);
  return d.value;
};

const LA: CalendarOwner = { laId: 'carmarthenshire' };
const BRYN: CalendarOwner = { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' };
const TEILO: CalendarOwner = { laId: 'carmarthenshire', schoolId: 'school-st-teilo' };
const GLAN_MOR: CalendarOwner = { laId: 'swansea', schoolId: 'school-ysgol-glan-mor' };
const POWYS: CalendarOwner = { laId: 'powys' };

function cal(owner: CalendarOwner, id: string): Calendar {
  const c = calendarsFor(owner)(id);
  if (!c) throw new Error(`no ${id} for ${JSON.stringify(owner)}`);
  return c;
}

describe('working days (England and Wales bank holidays 2025-2028)', () => {
  const working = cal(LA, 'working-days');
  it.each([
    ['Thursday 2 April 2026 15:00 + 5: Good Friday and Easter Monday skipped', '2026-04-02T14:00:00.000Z', 'P5D', '2026-04-13T14:00:00.000Z'],
    ['clock change 29 Mar 2026: Friday 09:00 GMT + 1 = Monday 09:00 BST', '2026-03-27T09:00:00.000Z', 'P1D', '2026-03-30T08:00:00.000Z'],
    ['clock change 25 Oct 2026: Friday 10:00 BST + 1 = Monday 10:00 GMT (half term does not matter)', '2026-10-23T09:00:00.000Z', 'P1D', '2026-10-26T10:00:00.000Z'],
    ['clock change 28 Mar 2027 with Easter: Thursday + 1 = Tuesday after Easter Monday', '2027-03-25T09:00:00.000Z', 'P1D', '2027-03-30T08:00:00.000Z'],
    ['clock change 31 Oct 2027: Friday 10:00 BST + 1 = Monday 10:00 GMT', '2027-10-29T09:00:00.000Z', 'P1D', '2027-11-01T10:00:00.000Z'],
    ['Christmas Eve 2026 + 1: Christmas Day and substitute Boxing Day skipped', '2026-12-24T09:00:00.000Z', 'P1D', '2026-12-29T09:00:00.000Z'],
    ['31 December 2026 + 1: New Year\'s Day skipped', '2026-12-31T09:00:00.000Z', 'P1D', '2027-01-04T09:00:00.000Z'],
    ['Christmas 2027 falls at the weekend: both substitute days skipped', '2027-12-24T09:00:00.000Z', 'P1D', '2027-12-29T09:00:00.000Z'],
    ['New Year 2028 on a Saturday: substitute Monday 3 January skipped', '2027-12-31T09:00:00.000Z', 'P1D', '2028-01-04T09:00:00.000Z'],
    ['Easter 2025', '2025-04-17T08:00:00.000Z', 'P1D', '2025-04-22T08:00:00.000Z'],
    ['Easter 2028', '2028-04-13T08:00:00.000Z', 'P1D', '2028-04-18T08:00:00.000Z'],
    ['early May bank holiday 2027', '2027-04-30T08:00:00.000Z', 'P1D', '2027-05-04T08:00:00.000Z'],
    ['summer bank holiday 2027', '2027-08-27T08:00:00.000Z', 'P1D', '2027-08-31T08:00:00.000Z'],
    ['P2W from 21 December 2026 = 10 working days', '2026-12-21T09:00:00.000Z', 'P2W', '2027-01-07T09:00:00.000Z'],
    ['P1M landing on a Saturday moves to Monday', '2026-01-31T10:00:00.000Z', 'P1M', '2026-03-02T10:00:00.000Z'],
    ['from a Sunday in the autumn hour that occurs twice (the second 01:30)', '2026-10-25T01:30:00.000Z', 'P1D', '2026-10-26T01:30:00.000Z'],
  ])('%s', (_name, from, d, expected) => {
    expect(working.add(from, D(d))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['after the last loaded year', '2028-12-29T09:00:00.000Z', 'P1D', '2029-01-01'],
    ['before the first loaded year', '2024-12-30T09:00:00.000Z', 'P1D', '2024-12-31'],
  ])('fails %s, naming the date', (_name, from, d, date) => {
    const result = working.add(from, D(d));
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date });
    if (!result.ok) expect(result.message).toContain(date);
  });
});

describe('school days (Carmarthenshire, national term dates)', () => {
  const school = cal(LA, 'school-days');
  it.each([
    ['autumn half term and the clock change 25 Oct 2026: Thursday 15:00 BST + 3 = Tuesday 15:00 GMT', '2026-10-22T14:00:00.000Z', 'P3D', '2026-11-03T15:00:00.000Z'],
    ['last day before half term + 1 = first day after', '2026-10-23T09:00:00.000Z', 'P1D', '2026-11-02T10:00:00.000Z'],
    ['from the Saturday before half term', '2026-10-24T11:00:00.000Z', 'P1D', '2026-11-02T12:00:00.000Z'],
    ['from the second 01:30 on 25 Oct 2026', '2026-10-25T01:30:00.000Z', 'P1D', '2026-11-02T01:30:00.000Z'],
    ['Christmas 2026', '2026-12-17T09:00:00.000Z', 'P2D', '2027-01-04T09:00:00.000Z'],
    ['spring half term 2027 (8-12 February)', '2027-02-05T09:00:00.000Z', 'P1D', '2027-02-15T09:00:00.000Z'],
    ['Easter 2027 and the clock change 28 Mar: Thursday 09:00 GMT + 2 = Monday 5 April 09:00 BST', '2027-03-18T09:00:00.000Z', 'P2D', '2027-04-05T08:00:00.000Z'],
    ['early May bank holiday 2027 in term', '2027-04-30T08:00:00.000Z', 'P1D', '2027-05-04T08:00:00.000Z'],
    ['summer half term 2027 and the spring bank holiday', '2027-05-28T08:00:00.000Z', 'P1D', '2027-06-07T08:00:00.000Z'],
    ['P2W = 10 school days across half term', '2026-10-19T08:00:00.000Z', 'P2W', '2026-11-09T09:00:00.000Z'],
    ['Easter 2026 and the clock change 29 Mar: Friday 09:00 GMT + 1 = Monday 13 April 09:00 BST', '2026-03-27T09:00:00.000Z', 'P1D', '2026-04-13T08:00:00.000Z'],
    ['across the summer holidays into 2026/27 (Monday 31 August is a bank holiday)', '2026-07-17T08:00:00.000Z', 'P3D', '2026-09-02T08:00:00.000Z'],
    ['P1M landing on a Saturday moves to the next school day', '2026-12-16T09:00:00.000Z', 'P1M', '2027-01-18T09:00:00.000Z'],
    ['P1M landing in the summer holidays moves to the first day of term', '2026-07-13T08:00:00.000Z', 'P1M', '2026-09-01T08:00:00.000Z'],
    ['hours after the days are elapsed time', '2026-10-23T09:00:00.000Z', 'P1DT2H', '2026-11-02T12:00:00.000Z'],
  ])('%s', (_name, from, d, expected) => {
    expect(school.add(from, D(d))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['after the last loaded school year (31 Aug 2027)', '2027-07-20T08:00:00.000Z', 'P1D', '2027-09-01'],
    ['across the 31 Oct 2027 clock change, in a school year not loaded', '2027-10-29T09:00:00.000Z', 'P1D', '2027-10-30'],
    ['before the first loaded school year', '2025-08-29T08:00:00.000Z', 'P1D', '2025-08-30'],
    ['weeks that run past the data', '2027-07-12T08:00:00.000Z', 'P2W', '2027-09-01'],
  ])('fails %s, naming the date', (_name, from, d, date) => {
    const result = school.add(from, D(d));
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date });
    if (!result.ok) expect(result.message).toBe(`school-days: no data for ${date}, which the deadline needs; it lies outside the loaded calendar`);
  });
});

describe("one school's INSET and closure days do not move another school's deadlines", () => {
  it.each<[string, string, string, [CalendarOwner, string][]]>([
    // Ysgol y Bryn: INSET Monday 2 November 2026.
    ['after autumn half term', '2026-10-23T09:00:00.000Z', 'P1D', [[LA, '2026-11-02T10:00:00.000Z'], [BRYN, '2026-11-03T10:00:00.000Z'], [TEILO, '2026-11-02T10:00:00.000Z']]],
    // Ysgol Glan Môr: INSET Friday 23 October 2026.
    ['before autumn half term', '2026-10-22T14:00:00.000Z', 'P1D', [[GLAN_MOR, '2026-11-02T15:00:00.000Z'], [BRYN, '2026-10-23T14:00:00.000Z'], [{ laId: 'swansea' }, '2026-10-23T14:00:00.000Z']]],
    // St Teilo's: INSET Friday 18 December 2026; Ysgol y Bryn: INSET Monday 4 January 2027.
    ['around Christmas', '2026-12-17T09:00:00.000Z', 'P1D', [[TEILO, '2027-01-04T09:00:00.000Z'], [BRYN, '2026-12-18T09:00:00.000Z']]],
    ['around Christmas, two days', '2026-12-17T09:00:00.000Z', 'P2D', [[TEILO, '2027-01-05T09:00:00.000Z'], [BRYN, '2027-01-05T09:00:00.000Z'], [LA, '2027-01-04T09:00:00.000Z']]],
    // St Teilo's is a polling station on Thursday 7 May 2026.
    ['a closure day', '2026-05-06T08:00:00.000Z', 'P1D', [[TEILO, '2026-05-08T08:00:00.000Z'], [BRYN, '2026-05-07T08:00:00.000Z']]],
    // Ysgol Glan Môr: heating failure Wednesday 13 January 2027.
    ['an emergency closure', '2027-01-12T09:00:00.000Z', 'P1D', [[GLAN_MOR, '2027-01-14T09:00:00.000Z'], [{ laId: 'swansea' }, '2027-01-13T09:00:00.000Z']]],
    // A school the data does not list counts its LA's term days.
    ['a school not in the data', '2026-10-23T09:00:00.000Z', 'P1D', [[{ laId: 'carmarthenshire', schoolId: 'school-unlisted' }, '2026-11-02T10:00:00.000Z']]],
  ])('%s', (_name, from, d, cases) => {
    for (const [owner, expected] of cases) expect([owner, cal(owner, 'school-days').add(from, D(d))]).toEqual([owner, { ok: true, value: expected }]);
  });
});

describe('LA override: Powys 2026/27', () => {
  it.each<[string, string, string, string | { date: string }, string | { date: string }]>([
    // [name, from, duration, Powys, Carmarthenshire]
    ['the autumn term runs to Tuesday 22 December', '2026-12-18T09:00:00.000Z', 'P1D', '2026-12-21T09:00:00.000Z', '2027-01-04T09:00:00.000Z'],
    ['and then to January', '2026-12-21T09:00:00.000Z', 'P2D', '2027-01-04T09:00:00.000Z', '2027-01-05T09:00:00.000Z'],
    ['the summer term ends Friday 16 July', '2027-07-15T08:00:00.000Z', 'P1D', '2027-07-16T08:00:00.000Z', '2027-07-16T08:00:00.000Z'],
    ['after 16 July Powys has no school day left in the loaded data', '2027-07-16T08:00:00.000Z', 'P1D', { date: '2027-09-01' }, '2027-07-19T08:00:00.000Z'],
    ['2025/26 is the national pattern', '2026-03-27T09:00:00.000Z', 'P1D', '2026-04-13T08:00:00.000Z', '2026-04-13T08:00:00.000Z'],
  ])('%s', (_name, from, d, powys, carmarthenshire) => {
    const expectOutcome = (owner: CalendarOwner, expected: string | { date: string }) =>
      expect(cal(owner, 'school-days').add(from, D(d))).toEqual(typeof expected === 'string' ? { ok: true, value: expected } : expect.objectContaining({ ok: false, code: 'outside-calendar', ...expected }));
    expectOutcome(POWYS, powys);
    expectOutcome(LA, carmarthenshire);
  });

  it('an override can replace the terms of a year', () => {
    const data = structuredClone(calendarData);
    data.termDates.localAuthorities.cardiff.years = {
      '2026/27': { terms: [{ name: 'all-year', start: '2026-09-01', end: '2027-07-30' }] },
    };
    const cardiff = calendarsFor({ laId: 'cardiff' }, data)('school-days')!;
    // No half term in the replacement: Friday 23 October + 1 = Monday 26 October.
    expect(cardiff.add('2026-10-23T09:00:00.000Z', D('P1D'))).toEqual({ ok: true, value: '2026-10-26T10:00:00.000Z' });
    expect(cal({ laId: 'cardiff' }, 'school-days').add('2026-10-23T09:00:00.000Z', D('P1D'))).toEqual({ ok: true, value: '2026-11-02T10:00:00.000Z' });
  });
});

describe('weeks are 5 qualifying days', () => {
  const starts = ['2026-10-19T08:00:00.000Z', '2026-12-16T09:00:00.000Z', '2027-03-10T09:00:00.000Z', '2027-05-20T08:00:00.000Z', '2026-02-11T15:30:00.000Z'];
  const cases = starts.flatMap((from) => [1, 2, 3, 4, 6].flatMap((n) => (['working-days', 'school-days'] as const).map((id) => [id, from, n] as const)));
  it.each(cases)('%s from %s: P%iW = P(5n)D', (id, from, n) => {
    const c = cal(BRYN, id);
    expect(c.add(from, D(`P${n}W`))).toEqual(c.add(from, D(`P${5 * n}D`)));
  });

  it('in calendar days a week is 7 days', () => {
    expect(calendarDays.add('2026-10-19T08:00:00.000Z', D('P2W'))).toEqual(calendarDays.add('2026-10-19T08:00:00.000Z', D('P14D')));
  });
});

describe('calendarsFor: which calendars a case has', () => {
  it('calendar days always; working days and school days from the data', () => {
    const lookup = calendarsFor(BRYN);
    expect(lookup('calendar-days')).toBe(calendarDays);
    expect(lookup('working-days')?.id).toBe('working-days');
    expect(lookup('school-days')?.id).toBe('school-days');
    expect(lookup('school-weeks')).toBeUndefined();
  });

  it('builds each calendar once per data, LA and school', () => {
    expect(calendarsFor(BRYN)('school-days')).toBe(calendarsFor(BRYN)('school-days'));
    expect(calendarsFor(BRYN)('school-days')).not.toBe(calendarsFor(TEILO)('school-days'));
    expect(calendarsFor(LA)('working-days')).toBe(calendarsFor(POWYS)('working-days'));
  });

  it("takes a listed school's LA when none is given", () => {
    const c = calendarsFor({ schoolId: 'school-ysgol-y-bryn' })('school-days')!;
    expect(c.add('2026-10-23T09:00:00.000Z', D('P1D'))).toEqual({ ok: true, value: '2026-11-03T10:00:00.000Z' });
  });

  it.each<[string, CalendarOwner]>([
    ['no LA and no listed school', {}],
    ['an LA not in the data', { laId: 'la-sir-gar' }],
    ['a school of another LA', { laId: 'carmarthenshire', schoolId: 'school-ysgol-glan-mor' }],
    ['an unlisted school and no LA', { schoolId: 'school-unlisted' }],
  ])('has no school days for %s (the engine raises calendar-not-loaded)', (_name, owner) => {
    expect(calendarsFor(owner)('school-days')).toBeUndefined();
    expect(calendarsFor(owner)('working-days')).toBeDefined();
  });
});

describe('no meeting in a school holiday', () => {
  const bryn = schoolCalendarFor(BRYN)!;
  it.each([
    ['2026-10-27', 'autumn half term', { holiday: true, schoolDay: false, teacherDay: false }],
    ['2026-11-02', 'an INSET day: no pupils, staff at work', { holiday: false, schoolDay: false, teacherDay: true }],
    ['2026-11-03', 'a school day', { holiday: false, schoolDay: true, teacherDay: true }],
    ['2026-12-24', 'the Christmas holidays', { holiday: true, schoolDay: false }],
    ['2027-05-03', 'early May bank holiday', { holiday: true, schoolDay: false }],
    ['2027-08-02', 'the summer holidays', { holiday: true, schoolDay: false }],
    ['2026-11-07', 'a Saturday in term', { holiday: false, schoolDay: false, teacherDay: false }],
  ])('%s is %s', (date, _what, expected) => {
    expect(bryn.info(date)).toMatchObject(expected);
  });

  it('does not know about dates outside the loaded years', () => {
    expect(bryn.info('2027-09-06')).toBe('unknown');
  });
});
