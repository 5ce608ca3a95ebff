// Deadlines for dates that are in no table: for random start instants and counts, the result
// obeys the documented rule ("N days after T is the N-th qualifying day strictly after T's
// local date, at T's local time of day"), checked against an oracle built independently from
// the raw data (its own day walk in UTC, its own Europe/London reading through Intl).
import fc from 'fast-check';
import { schoolYearsFor, type CalendarOwner, type Duration } from '../../../engine/time/index.js';
import { calendarData, calendarsFor } from '../../../workflows/calendars/index.js';

const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const nextDate = (date: string) => dateOf(msOf(date) + DAY);

const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
function localOf(instant: string): { date: string; time: string } {
  const p = Object.fromEntries(london.formatToParts(Date.parse(instant)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}.${instant.slice(20, 23)}` };
}

interface Oracle {
  qualifying: Set<string>;
  from: string;
  to: string;
}

const bankHolidays = new Set(calendarData.bankHolidays.dates.map((d) => d.date));
const isWeekday = (date: string) => ![0, 6].includes(new Date(msOf(date)).getUTCDay());

function workingOracle(): Oracle {
  const { from, to } = calendarData.bankHolidays;
  const qualifying = new Set<string>();
  for (let d = from; d <= to; d = nextDate(d)) if (isWeekday(d) && !bankHolidays.has(d)) qualifying.add(d);
  return { qualifying, from, to };
}

function schoolOracle(owner: CalendarOwner): Oracle {
  const school = owner.schoolId ? calendarData.schools![owner.schoolId] : undefined;
  const off = new Set([...(school?.inset ?? []), ...(school?.closures ?? []).map((c) => (typeof c === 'string' ? c : c.date))]);
  const years = schoolYearsFor(calendarData.termDates, owner.laId!)!;
  const qualifying = new Set<string>();
  for (const term of years.flatMap((y) => y.terms)) {
    for (let d = term.start; d <= term.end; d = nextDate(d)) {
      const inHalfTerm = (term.halfTerms ?? []).some((h) => h.start <= d && d <= h.end);
      if (isWeekday(d) && !inHalfTerm && !bankHolidays.has(d) && !off.has(d)) qualifying.add(d);
    }
  }
  return { qualifying, from: years[0].from, to: years[years.length - 1].to };
}

/** The oracle's answer: the n-th qualifying date after `date`, or the first date past the data. */
function nth(oracle: Oracle, date: string, n: number): { date: string } | { outside: string } {
  let d = date;
  for (let found = 0; found < n; ) {
    d = nextDate(d);
    if (d > oracle.to) return { outside: d };
    if (oracle.qualifying.has(d)) found++;
  }
  return { date: d };
}

const owners: [string, CalendarOwner][] = [
  ['Carmarthenshire', { laId: 'carmarthenshire' }],
  ['Powys', { laId: 'powys' }],
  ['Ysgol y Bryn', { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' }],
  ["St Teilo's", { laId: 'carmarthenshire', schoolId: 'school-st-teilo' }],
  ['Ysgol Glan Môr', { laId: 'swansea', schoolId: 'school-ysgol-glan-mor' }],
];

const days = (n: number, weeks = 0): Duration => ({ years: 0, months: 0, weeks, days: n, hours: 0, minutes: 0, seconds: 0 });
const instant = (from: string, to: string) => fc.integer({ min: Date.parse(`${from}T00:00:00Z`), max: Date.parse(`${to}T23:59:59Z`) }).map((ms) => new Date(ms).toISOString());

function checkRule(calendarId: string, owner: CalendarOwner, oracle: Oracle, start: string, n: number, asWeeks: boolean): void {
  const cal = calendarsFor(owner)(calendarId)!;
  const result = asWeeks ? cal.add(start, days(0, n / 5)) : cal.add(start, days(n));
  const local = localOf(start);
  const expected = nth(oracle, local.date, n);
  if ('outside' in expected) {
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date: expected.outside });
    return;
  }
  if (!result.ok) throw new Error(`${calendarId} ${JSON.stringify(owner)} ${start} + ${n}: ${result.message}`);
  const end = localOf(result.value);
  // A qualifying day, strictly after the start's local date, exactly n counted, same local time.
  expect(oracle.qualifying.has(end.date)).toBe(true);
  expect(end.date > local.date).toBe(true);
  expect([...oracle.qualifying].filter((d) => d > local.date && d <= end.date)).toHaveLength(n);
  expect(end.date).toBe(expected.date);
  expect(end.time).toBe(local.time);
}

describe('the counting rule holds for dates no table lists', () => {
  const working = workingOracle();

  it('working days, 2025-2028', () => {
    fc.assert(
      fc.property(instant('2025-01-01', '2028-12-31'), fc.integer({ min: 1, max: 40 }), (start, n) => checkRule('working-days', {}, working, start, n, false)),
      { numRuns: 1000 },
    );
  });

  it.each(owners)('school days, %s, 2025/26 and 2026/27', (_name, owner) => {
    const oracle = schoolOracle(owner);
    fc.assert(
      fc.property(instant('2025-09-01', '2027-08-31'), fc.integer({ min: 1, max: 40 }), (start, n) => checkRule('school-days', owner, oracle, start, n, false)),
      { numRuns: 500 },
    );
  });

  it.each(owners)('school weeks are 5n school days, %s', (_name, owner) => {
    const oracle = schoolOracle(owner);
    fc.assert(
      fc.property(instant('2025-09-01', '2027-08-31'), fc.integer({ min: 1, max: 8 }), (start, weeks) => checkRule('school-days', owner, oracle, start, 5 * weeks, true)),
      { numRuns: 200 },
    );
  });

  it('starts around the clock changes keep their local time', () => {
    // The hours either side of 01:00 UTC on the four change Sundays, minute by minute.
    const changes = ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'];
    const owner = { laId: 'carmarthenshire' };
    const school = schoolOracle(owner);
    for (const day of changes) {
      for (let ms = Date.parse(`${day}T00:00:00Z`); ms <= Date.parse(`${day}T03:00:00Z`); ms += 15 * 60_000) {
        const start = new Date(ms).toISOString();
        for (const n of [1, 5, 12]) {
          checkRule('working-days', {}, working, start, n, false);
          checkRule('school-days', owner, school, start, n, false);
        }
      }
    }
  });
});
