// The calendars of one case: calendar days, working days (England and Wales) and the school
// days of its school, resolved from calendar data the caller loads (workflows/calendars/).
// Pure: the data is an argument; nothing here reads files.
import { calendarDays, workingDays, type Calendar } from './calendar.js';
import { addLocalDays, weekday } from './london.js';
import { schoolDays, type SchoolCalendar, type SchoolDaysSpec, type Term } from './school.js';

export interface BankHolidayData {
  region?: string;
  /** Inclusive local dates the list covers: every bank holiday between them is listed. */
  from: string;
  to: string;
  dates: { date: string; name?: string }[];
}

/** One school year of the national (default) term dates, 1 September to 31 August. */
export interface SchoolYear {
  /** '2026/27' */
  year: string;
  from: string;
  to: string;
  terms: Term[];
  source?: string;
}

/** How one LA's terms differ in one school year: `terms` replaces them, `adjust` changes named terms. */
export interface LaYearOverride {
  terms?: Term[];
  adjust?: Record<string, Partial<Omit<Term, 'name'>>>;
  source?: string;
}

export interface LocalAuthority {
  name: string;
  nameCy?: string;
  /** Keyed by school year ('2026/27'); years not listed follow the national dates. */
  years?: Record<string, LaYearOverride>;
}

export interface TermDatesData {
  years: SchoolYear[];
  /** Every LA school-days may be asked for, keyed by id (e.g. 'carmarthenshire'). */
  localAuthorities: Record<string, LocalAuthority>;
}

export interface SchoolRecord {
  name?: string;
  /** Key of the school's LA in `termDates.localAuthorities`. */
  la: string;
  inset?: string[];
  closures?: (string | { date: string; reason?: string })[];
}

export interface CalendarData {
  bankHolidays: BankHolidayData;
  termDates: TermDatesData;
  /** Keyed by school (organisation) id. */
  schools?: Record<string, SchoolRecord>;
}

/** Whose calendars: the case's LA and school. */
export interface CalendarOwner {
  laId?: string;
  schoolId?: string;
}

export const CALENDAR_IDS = ['calendar-days', 'working-days', 'school-days'] as const;

/** The working-days calendar of the data: Monday to Friday less the listed bank holidays. */
export function workingDaysOf(data: CalendarData): Calendar {
  const { from, to, dates } = data.bankHolidays;
  return workingDays(dates.map((d) => d.date), { from, to });
}

/** The school years of one LA, its overrides applied; undefined for an LA the data does not list. */
export function schoolYearsFor(termDates: TermDatesData, laId: string): SchoolYear[] | undefined {
  const la = Object.hasOwn(termDates.localAuthorities, laId) ? termDates.localAuthorities[laId] : undefined;
  if (la === undefined) return undefined;
  return termDates.years.map((year) => {
    const override = la.years && Object.hasOwn(la.years, year.year) ? la.years[year.year] : undefined;
    if (override === undefined) return year;
    const base = override.terms ?? year.terms;
    const terms = base.map((t) => (t.name !== undefined && override.adjust && Object.hasOwn(override.adjust, t.name) ? { ...t, ...override.adjust[t.name] } : t));
    return { ...year, terms, source: override.source ?? year.source };
  });
}

/**
 * The school-days data of a case: its LA's terms (the school's LA when `laId` is not given),
 * the bank holidays and, when the data lists the school, its INSET and closure days. Undefined
 * when no LA is known, the LA is not in the data, or the school belongs to another LA. A school
 * the data does not list counts its LA's term days: its INSET days are not known.
 */
export function schoolDaysSpec(owner: CalendarOwner, data: CalendarData): SchoolDaysSpec | undefined {
  const school = owner.schoolId !== undefined && data.schools && Object.hasOwn(data.schools, owner.schoolId) ? data.schools[owner.schoolId] : undefined;
  const laId = owner.laId ?? school?.la;
  if (laId === undefined) return undefined;
  if (school !== undefined && school.la !== laId) return undefined;
  const years = schoolYearsFor(data.termDates, laId);
  if (years === undefined || years.length === 0) return undefined;
  const { bankHolidays } = data;
  const from = [years[0].from, bankHolidays.from].sort()[1];
  const to = [years[years.length - 1].to, bankHolidays.to].sort()[0];
  return {
    terms: years.flatMap((y) => y.terms),
    bankHolidays: bankHolidays.dates.map((d) => d.date),
    inset: school?.inset ?? [],
    closures: (school?.closures ?? []).map((c) => (typeof c === 'string' ? c : c.date)),
    range: { from, to },
  };
}

const cache = new WeakMap<CalendarData, Map<string, Calendar | undefined>>();

/**
 * The calendar lookup for one case, shaped as `EngineHost['calendar']`: 'calendar-days',
 * 'working-days', and 'school-days' of the owner's school (or LA); undefined for any other id
 * or when the owner's school days cannot be resolved (the engine then raises an incident).
 * Calendars are built once per data object, LA and school.
 */
export function calendarsFor(owner: CalendarOwner, data: CalendarData): (id: string) => Calendar | undefined {
  let built = cache.get(data);
  if (built === undefined) cache.set(data, (built = new Map()));
  const byKey = built;
  return (id) => {
    if (id === 'calendar-days') return calendarDays;
    if (id !== 'working-days' && id !== 'school-days') return undefined;
    const key = id === 'working-days' ? id : `${id}|${owner.laId ?? ''}|${owner.schoolId ?? ''}`;
    if (!byKey.has(key)) {
      if (id === 'working-days') byKey.set(key, workingDaysOf(data));
      else {
        const spec = schoolDaysSpec(owner, data);
        byKey.set(key, spec && schoolDays(spec));
      }
    }
    return byKey.get(key);
  };
}

/** The school-days calendar of an owner, with `info` (school day, holiday, INSET...); undefined as for `schoolDaysSpec`. */
export function schoolCalendarFor(owner: CalendarOwner, data: CalendarData): SchoolCalendar | undefined {
  const cal = calendarsFor(owner, data)('school-days');
  return cal as SchoolCalendar | undefined;
}

/** Days staff work in one school year of an LA (weekdays in term less half terms and bank holidays; INSET days count). Regulations: 195. */
export function teacherDays(data: CalendarData, laId: string, year: string): number | undefined {
  const y = schoolYearsFor(data.termDates, laId)?.find((s) => s.year === year);
  if (y === undefined) return undefined;
  const spec = schoolDaysSpec({ laId }, data);
  if (spec === undefined) return undefined;
  const cal = schoolDays(spec);
  let n = 0;
  for (let d = y.from; d <= y.to; d = addLocalDays(d, 1)) {
    const info = cal.info(d);
    if (info !== 'unknown' && info.teacherDay) n++;
  }
  return n;
}

const isDate = (s: unknown): s is string => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
};

function checkTerms(where: string, terms: Term[], year: { from: string; to: string }): string[] {
  const problems: string[] = [];
  let previousEnd = '';
  for (const t of terms) {
    const at = `${where} term ${t.name ?? t.start}`;
    if (!isDate(t.start) || !isDate(t.end)) {
      problems.push(`${at}: start and end must be dates (YYYY-MM-DD)`);
      continue;
    }
    if (t.start > t.end) problems.push(`${at}: starts after it ends`);
    if (t.start < year.from || t.end > year.to) problems.push(`${at}: outside the school year ${year.from} to ${year.to}`);
    if (t.start <= previousEnd) problems.push(`${at}: overlaps or precedes the term before it`);
    previousEnd = t.end;
    for (const h of t.halfTerms ?? []) {
      if (!isDate(h.start) || !isDate(h.end)) problems.push(`${at}: half-term dates must be dates (YYYY-MM-DD)`);
      else if (h.start > h.end || h.start < t.start || h.end > t.end) problems.push(`${at}: half term ${h.start} to ${h.end} is not inside the term`);
    }
  }
  return problems;
}

/** Problems with calendar data, as sentences; empty when the data is usable. */
export function checkCalendarData(data: CalendarData): string[] {
  const problems: string[] = [];
  const bh = data.bankHolidays;
  if (!isDate(bh.from) || !isDate(bh.to) || bh.from > bh.to) problems.push('bank holidays: from and to must be dates, from before to');
  const seen = new Set<string>();
  for (const { date } of bh.dates) {
    if (!isDate(date)) problems.push(`bank holidays: "${date}" is not a date`);
    else if (date < bh.from || date > bh.to) problems.push(`bank holidays: ${date} is outside ${bh.from} to ${bh.to}`);
    if (seen.has(date)) problems.push(`bank holidays: ${date} is listed twice`);
    seen.add(date);
  }

  const years = data.termDates.years;
  const yearIds = new Set(years.map((y) => y.year));
  years.forEach((y, i) => {
    if (!isDate(y.from) || !isDate(y.to) || y.from > y.to) problems.push(`school year ${y.year}: from and to must be dates, from before to`);
    if (i > 0 && y.from !== addLocalDays(years[i - 1].to, 1)) problems.push(`school year ${y.year}: does not start the day after ${years[i - 1].year} ends`);
    if (y.from < bh.from || y.to > bh.to) problems.push(`school year ${y.year}: not covered by the bank holidays (${bh.from} to ${bh.to})`);
    problems.push(...checkTerms(`school year ${y.year}`, y.terms, y));
  });

  for (const [laId, la] of Object.entries(data.termDates.localAuthorities)) {
    for (const [year, override] of Object.entries(la.years ?? {})) {
      if (!yearIds.has(year)) problems.push(`${laId}: override for ${year}, a school year the data does not load`);
      const names = new Set((override.terms ?? years.find((y) => y.year === year)?.terms ?? []).map((t) => t.name));
      for (const name of Object.keys(override.adjust ?? {})) if (!names.has(name)) problems.push(`${laId} ${year}: adjusts term "${name}", which it does not have`);
    }
    const own = schoolYearsFor(data.termDates, laId) ?? [];
    for (const y of own) if (la.years && Object.hasOwn(la.years, y.year)) problems.push(...checkTerms(`${laId} ${y.year}`, y.terms, y));
  }

  for (const [schoolId, school] of Object.entries(data.schools ?? {})) {
    if (!Object.hasOwn(data.termDates.localAuthorities, school.la)) {
      problems.push(`school ${schoolId}: LA "${school.la}" is not in the term dates`);
      continue;
    }
    const own = schoolYearsFor(data.termDates, school.la) ?? [];
    const spec = schoolDaysSpec({ laId: school.la }, data);
    const cal = spec && schoolDays(spec);
    const days = [...(school.inset ?? []).map((date) => ({ date, kind: 'INSET day' })), ...(school.closures ?? []).map((c) => ({ date: typeof c === 'string' ? c : c.date, kind: 'closure' }))];
    for (const { date, kind } of days) {
      if (!isDate(date)) {
        problems.push(`school ${schoolId}: ${kind} "${date}" is not a date`);
        continue;
      }
      const info = cal?.info(date);
      if (info === undefined || info === 'unknown') problems.push(`school ${schoolId}: ${kind} ${date} is outside the loaded school years`);
      else if (!info.teacherDay) problems.push(`school ${schoolId}: ${kind} ${date} is not a term day (${weekday(date) >= 6 ? 'weekend' : info.bankHoliday ? 'bank holiday' : 'holiday'})`);
    }
    for (const y of own) {
      const n = (school.inset ?? []).filter((d) => d >= y.from && d <= y.to).length;
      if (n > 6) problems.push(`school ${schoolId}: ${n} INSET days in ${y.year}; the regulations allow 5 (at most 6)`);
    }
  }
  return problems;
}
