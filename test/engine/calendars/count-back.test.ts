// Counting back ("N days before T"), the mirror of the counting rule: the N-th qualifying day
// strictly before T's local date, at T's local time, Europe/London. Examples on the shipped
// 2026/27 data (half term, Christmas, Easter, both clock changes) mirror the README's table;
// a property checks that counting forward again lands on T's date when T is a qualifying day.
// Instants are UTC: 09:00 GMT is 09:00Z, 09:00 BST is 08:00Z.
import fc from 'fast-check';
import { localParts, parseDuration, type Calendar, type CalendarOwner } from '../../../engine/time/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';

const D = (text: string) => {
  const d = parseDuration(text);
  if (!d.ok) throw new Error(d.message);
  return d.value;
};

const LA: CalendarOwner = { laId: 'carmarthenshire' };
const BRYN: CalendarOwner = { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' };
const POWYS: CalendarOwner = { laId: 'powys' };

function cal(owner: CalendarOwner, id: string): Calendar {
  const c = calendarsFor(owner)(id);
  if (!c) throw new Error(`no ${id} for ${JSON.stringify(owner)}`);
  return c;
}

describe('N days before T', () => {
  it.each([
    ['working', 'Mon 13 Apr 2026 15:00 - 5: Easter Monday and Good Friday skipped', LA, '2026-04-13T14:00:00.000Z', 'P5D', '2026-04-02T14:00:00.000Z'],
    ['working', 'Mon 30 Mar 2026 09:00 BST - 1 = Fri 27 Mar 09:00 GMT (clocks went forward on the 29th)', LA, '2026-03-30T08:00:00.000Z', 'P1D', '2026-03-27T09:00:00.000Z'],
    ['working', 'Mon 26 Oct 2026 10:00 GMT - 1 = Fri 23 Oct 10:00 BST (clocks went back on the 25th)', LA, '2026-10-26T10:00:00.000Z', 'P1D', '2026-10-23T09:00:00.000Z'],
    ['working', 'Tue 29 Dec 2026 - 1 = Christmas Eve: 28 and 25 Dec skipped', LA, '2026-12-29T09:00:00.000Z', 'P1D', '2026-12-24T09:00:00.000Z'],
    ['working', "Mon 4 Jan 2027 - 1 = Thu 31 Dec: New Year's Day skipped", LA, '2027-01-04T09:00:00.000Z', 'P1D', '2026-12-31T09:00:00.000Z'],
    ['working', 'P2W before Thu 7 Jan 2027 = 10 working days = Mon 21 Dec 2026', LA, '2027-01-07T09:00:00.000Z', 'P2W', '2026-12-21T09:00:00.000Z'],
    ['working', 'a Monday reminder one day back is on the Friday, not the Sunday', LA, '2026-11-09T09:00:00.000Z', 'P1D', '2026-11-06T09:00:00.000Z'],
    ['working', 'P1M before Sun 29 Mar 2026: 28 Feb (clamped) is a Saturday, so Fri 27 Feb', LA, '2026-03-29T09:00:00.000Z', 'P1M', '2026-02-27T10:00:00.000Z'],
    ['working', 'P1DT2H: the two hours are elapsed time, taken off first', LA, '2026-04-07T16:00:00.000Z', 'P1DT2H', '2026-04-02T14:00:00.000Z'],
    ['school', 'Tue 3 Nov 2026 15:00 GMT - 3 = Thu 22 Oct 15:00 BST: half term 26-30 Oct skipped', LA, '2026-11-03T15:00:00.000Z', 'P3D', '2026-10-22T14:00:00.000Z'],
    ['school', 'Wed 4 Nov 2026 - 3 at Ysgol y Bryn: its INSET day on Mon 2 Nov skipped too', BRYN, '2026-11-04T15:00:00.000Z', 'P3D', '2026-10-22T14:00:00.000Z'],
    ['school', 'Mon 2 Nov 2026 12:00 - 1 = Fri 23 Oct: the half term before it', LA, '2026-11-02T12:00:00.000Z', 'P1D', '2026-10-23T11:00:00.000Z'],
    ['school', 'Sun 8 Nov 2026 - 1 = Fri 6 Nov: counted from the local date, whatever day it is', LA, '2026-11-08T12:00:00.000Z', 'P1D', '2026-11-06T12:00:00.000Z'],
    ['school', 'Mon 5 Apr 2027 09:00 BST - 2 = Thu 18 Mar 09:00 GMT: Easter holidays and the clock change', LA, '2027-04-05T08:00:00.000Z', 'P2D', '2027-03-18T09:00:00.000Z'],
    ['school', 'P2W before Mon 9 Nov 2026 = Mon 19 Oct: half term skipped', LA, '2026-11-09T09:00:00.000Z', 'P2W', '2026-10-19T08:00:00.000Z'],
    ['school', 'Mon 4 Jan 2027 - 1 = Fri 18 Dec 2026: the Christmas holidays', LA, '2027-01-04T09:00:00.000Z', 'P1D', '2026-12-18T09:00:00.000Z'],
    ['school', 'Mon 4 Jan 2027 - 1 in Powys = Tue 22 Dec 2026 (its autumn term runs later)', POWYS, '2027-01-04T09:00:00.000Z', 'P1D', '2026-12-22T09:00:00.000Z'],
    ['school', 'P1M before Mon 14 Sep 2026: 14 Aug is in the summer holidays, so Mon 20 Jul', LA, '2026-09-14T08:00:00.000Z', 'P1M', '2026-07-20T08:00:00.000Z'],
  ])('%s days: %s', (kind, _name, owner, from, d, expected) => {
    expect(cal(owner, `${kind}-days`).subtract(from, D(d))).toEqual({ ok: true, value: expected });
  });

  it('counts calendar days back on the local date, keeping the local time across a clock change', () => {
    const days = cal(LA, 'calendar-days');
    expect(days.subtract('2026-03-29T08:00:00.000Z', D('P1D'))).toEqual({ ok: true, value: '2026-03-28T09:00:00.000Z' });
    expect(days.subtract('2026-03-31T08:00:00.000Z', D('P1M'))).toEqual({ ok: true, value: '2026-02-28T09:00:00.000Z' });
    expect(days.subtract('2026-03-29T08:00:00.000Z', D('PT24H'))).toEqual({ ok: true, value: '2026-03-28T08:00:00.000Z' });
  });

  it.each([
    ['working', 'before the first loaded year', '2025-01-02T09:00:00.000Z', 'P1D', '2024-12-31'],
    ['school', 'before the first loaded school year', '2025-09-02T08:00:00.000Z', 'P2D', '2025-08-31'],
  ])('%s days: fails %s with outside-calendar, naming the date', (kind, _name, from, d, date) => {
    const result = cal(LA, `${kind}-days`).subtract(from, D(d));
    expect(result).toMatchObject({ ok: false, code: 'outside-calendar', date });
    if (!result.ok) expect(result.message).toContain(date);
  });
});

describe('counting forward again undoes counting back', () => {
  // Every qualifying instant of the loaded data, at any time of day, and counts of 1-40 days.
  const instants = fc.record({
    day: fc.integer({ min: 0, max: 2 * 366 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    n: fc.integer({ min: 1, max: 40 }),
  });
  const cases: Array<[string, CalendarOwner, string]> = [
    ['working days', LA, 'working-days'],
    ['school days (LA)', LA, 'school-days'],
    ['school days (Ysgol y Bryn)', BRYN, 'school-days'],
    ['school days (Powys)', POWYS, 'school-days'],
  ];

  it.each(cases)('%s: after(before(T, n), n) is on T\'s local date when T qualifies', (_name, owner, id) => {
    const c = cal(owner, id);
    fc.assert(
      fc.property(instants, ({ day, minute, n }) => {
        const t = new Date(Date.parse('2025-09-01T00:00:00Z') + day * 86_400_000 + minute * 60_000).toISOString();
        const date = localParts(t).date;
        fc.pre(c.isQualifyingDay?.(date) === true);
        const back = c.subtract(t, D(`P${n}D`));
        if (!back.ok) return back.code === 'outside-calendar' && back.date < date;
        // Strictly before, on a qualifying day, at the same local time of day (qualifying days
        // are never Sundays, so never the day of a clock change).
        const b = localParts(back.value);
        expect(b.date < date && c.isQualifyingDay?.(b.date) === true).toBe(true);
        expect(b.time).toBe(localParts(t).time);
        const again = c.add(back.value, D(`P${n}D`));
        return again.ok && localParts(again.value).date === date;
      }),
      { numRuns: 400 },
    );
  });
});
