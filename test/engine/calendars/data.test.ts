// The calendar data in workflows/calendars/: it passes the checks, the bank holidays follow
// the statutory rules, and every school year adds up to the 195 days the regulations require.
import { checkCalendarData, schoolYearsFor, teacherDays, type CalendarData } from '../../../engine/time/index.js';
import { calendarData, laKeyForName } from '../../../workflows/calendars/index.js';
import { bankHolidays2026, bankHolidays2027 } from '../time/fixtures.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const dow = (ms: number) => new Date(ms).getUTCDay(); // 0 = Sunday

/** Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
function easter(y: number): number {
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(y, month, day);
}

/** England and Wales bank holidays by rule: fixed days moved off weekends, Easter, and the Mondays of May and August. */
function ruleBankHolidays(y: number): string[] {
  const DAY = 86_400_000;
  const firstMonday = (m: number) => { let t = utc(y, m, 1); while (dow(t) !== 1) t += DAY; return t; };
  const lastMonday = (m: number) => { let t = utc(y, m + 1, 0); while (dow(t) !== 1) t -= DAY; return t; };
  const newYear = utc(y, 1, 1);
  const out = [dow(newYear) === 6 ? newYear + 2 * DAY : dow(newYear) === 0 ? newYear + DAY : newYear];
  out.push(easter(y) - 2 * DAY, easter(y) + DAY, firstMonday(5), lastMonday(5), lastMonday(8));
  const christmas = utc(y, 12, 25);
  // Christmas on Saturday: Monday 27 and Tuesday 28; on Sunday: Boxing Day Monday 26, Christmas Tuesday 27;
  // on Friday: Boxing Day (Saturday) moves to Monday 28.
  const [c, b] = dow(christmas) === 6 ? [27, 28] : dow(christmas) === 0 ? [27, 26] : dow(christmas) === 5 ? [25, 28] : [25, 26];
  out.push(utc(y, 12, c), utc(y, 12, b));
  return out.map(iso).sort();
}

const listed = (y: number) => calendarData.bankHolidays.dates.map((d) => d.date).filter((d) => d.startsWith(`${y}-`));

describe('bank holidays (England and Wales, 2025-2028)', () => {
  it.each([2025, 2026, 2027, 2028])('%i follows the rules (Easter by the computus, substitute days)', (y) => {
    expect(listed(y)).toEqual(ruleBankHolidays(y));
  });

  it('2026 and 2027 are the dates in shared/domain/PRIMER.md', () => {
    expect(listed(2026)).toEqual(bankHolidays2026);
    expect(listed(2027)).toEqual(bankHolidays2027);
  });

  it('every date is named and the list covers 2025 to 2028', () => {
    expect(calendarData.bankHolidays).toMatchObject({ from: '2025-01-01', to: '2028-12-31' });
    for (const d of calendarData.bankHolidays.dates) expect(d.name).toEqual(expect.any(String));
  });
});

describe('Welsh school term dates', () => {
  it('passes the data checks', () => {
    expect(checkCalendarData(calendarData)).toEqual([]);
  });

  it('lists the 22 local authorities of Wales', () => {
    expect(Object.keys(calendarData.termDates.localAuthorities)).toHaveLength(22);
  });

  it('loads the school years 2025/26 and 2026/27, each three terms with a half term', () => {
    expect(calendarData.termDates.years.map((y) => [y.year, y.from, y.to])).toEqual([
      ['2025/26', '2025-09-01', '2026-08-31'],
      ['2026/27', '2026-09-01', '2027-08-31'],
    ]);
    for (const y of calendarData.termDates.years) {
      expect(y.terms.map((t) => t.name)).toEqual(['autumn', 'spring', 'summer']);
      for (const t of y.terms) expect(t.halfTerms).toHaveLength(1);
      expect(y.source).toEqual(expect.stringContaining('gov.wales'));
    }
  });

  // The regulations: 195 days a year on which staff work, INSET days included.
  const allYears = Object.keys(calendarData.termDates.localAuthorities).flatMap((la) => ['2025/26', '2026/27'].map((year) => [la, year] as const));
  it.each(allYears)('%s %s has 195 teacher days', (la, year) => {
    expect(teacherDays(calendarData, la, year)).toBe(195);
  });

  it('Powys differs in 2026/27 only: the autumn term ends later, the summer term earlier', () => {
    const powys = schoolYearsFor(calendarData.termDates, 'powys')!;
    const national = calendarData.termDates.years;
    expect(powys[0]).toEqual(national[0]);
    expect(powys[1].terms.map((t) => [t.name, t.start, t.end])).toEqual([
      ['autumn', '2026-09-01', '2026-12-22'],
      ['spring', '2027-01-04', '2027-03-19'],
      ['summer', '2027-04-05', '2027-07-16'],
    ]);
    expect(powys[1].source).toMatch(/Royal Welsh Show/);
  });
});

describe('per-school INSET and closure days', () => {
  const schools = Object.entries(calendarData.schools ?? {});

  it.each(schools)('%s has 5 INSET days in each school year', (_id, school) => {
    expect((school.inset ?? []).filter((d) => d < '2026-09-01')).toHaveLength(5);
    expect((school.inset ?? []).filter((d) => d >= '2026-09-01')).toHaveLength(5);
  });

  it('pupils meet on 195 less the INSET and closure days', () => {
    const pupilDays = (schoolId: string, from: string, to: string) => {
      const school = calendarData.schools![schoolId];
      const off = [...(school.inset ?? []), ...(school.closures ?? []).map((c) => (typeof c === 'string' ? c : c.date))];
      return 195 - off.filter((d) => d >= from && d <= to).length;
    };
    expect(pupilDays('school-ysgol-y-bryn', '2025-09-01', '2026-08-31')).toBe(190);
    expect(pupilDays('school-st-teilo', '2025-09-01', '2026-08-31')).toBe(189);
    expect(pupilDays('school-ysgol-glan-mor', '2026-09-01', '2027-08-31')).toBe(189);
  });
});

describe('checkCalendarData finds what is wrong', () => {
  const base = (): CalendarData => structuredClone(calendarData);
  it.each<[string, (d: CalendarData) => void, RegExp]>([
    ['a bank holiday outside the range', (d) => d.bankHolidays.dates.push({ date: '2029-01-01' }), /2029-01-01 is outside/],
    ['a bank holiday twice', (d) => d.bankHolidays.dates.push({ date: '2026-12-25' }), /2026-12-25 is listed twice/],
    ['a date that does not exist', (d) => { d.termDates.years[0].terms[0].end = '2025-12-32'; }, /must be dates/],
    ['a term that starts after it ends', (d) => { d.termDates.years[0].terms[0].end = '2025-08-01'; }, /starts after it ends/],
    ['overlapping terms', (d) => { d.termDates.years[0].terms[1].start = '2025-12-01'; }, /overlaps/],
    ['a half term outside its term', (d) => { d.termDates.years[0].terms[0].halfTerms = [{ start: '2025-12-20', end: '2025-12-24' }]; }, /half term 2025-12-20 to 2025-12-24 is not inside the term/],
    ['a gap between school years', (d) => { d.termDates.years[1].from = '2026-09-02'; }, /does not start the day after 2025\/26 ends/],
    ['an override for a year not loaded', (d) => { d.termDates.localAuthorities.cardiff.years = { '2027/28': { adjust: {} } }; }, /cardiff: override for 2027\/28/],
    ['an override of a term the year lacks', (d) => { d.termDates.localAuthorities.cardiff.years = { '2025/26': { adjust: { winter: { end: '2026-01-01' } } } }; }, /adjusts term "winter"/],
    ['an override that breaks the terms', (d) => { d.termDates.localAuthorities.cardiff.years = { '2025/26': { adjust: { autumn: { end: '2026-01-06' } } } }; }, /cardiff 2025\/26 term autumn: overlaps|cardiff 2025\/26 term spring: overlaps/],
    ['a school in an LA not listed', (d) => { d.schools!['school-st-teilo'].la = 'atlantis'; }, /LA "atlantis" is not in the term dates/],
    ['an INSET day at a weekend', (d) => { d.schools!['school-st-teilo'].inset!.push('2026-09-05'); }, /INSET day 2026-09-05 is not a term day \(weekend\)/],
    ['an INSET day in half term', (d) => { d.schools!['school-st-teilo'].inset!.push('2026-10-27'); }, /INSET day 2026-10-27 is not a term day \(holiday\)/],
    ['a closure on a bank holiday', (d) => { d.schools!['school-st-teilo'].closures!.push({ date: '2027-05-03' }); }, /closure 2027-05-03 is not a term day \(bank holiday\)/],
    ['a closure outside the loaded years', (d) => { d.schools!['school-st-teilo'].closures!.push('2027-09-06'); }, /closure 2027-09-06 is outside the loaded school years/],
    ['too many INSET days', (d) => { d.schools!['school-st-teilo'].inset!.push('2026-09-03', '2026-09-04'); }, /7 INSET days in 2026\/27/],
  ])('%s', (_name, breakIt, message) => {
    const data = base();
    breakIt(data);
    expect(checkCalendarData(data).join('\n')).toMatch(message);
  });
});

describe('the loader', () => {
  it.each([
    ['Carmarthenshire', 'carmarthenshire'],
    ['Sir Gâr', 'carmarthenshire'],
    ['  abertawe ', 'swansea'],
    ['Vale of Glamorgan', 'vale-of-glamorgan'],
    ['powys', 'powys'],
    ['Atlantis', undefined],
  ])('laKeyForName(%j) = %j', (name, key) => {
    expect(laKeyForName(name)).toBe(key);
  });
});
