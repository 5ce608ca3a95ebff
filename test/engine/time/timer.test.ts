import fc from 'fast-check';
import { calendarDays, checkTimerSpec, firstDue, nextDue, type TimerSpec } from '../../../engine/time/index.js';
import { workingDays2026, workingDays2026to2027 } from './fixtures.js';

describe('checkTimerSpec', () => {
  it.each<[TimerSpec['kind'], string]>([
    ['date', '2026-12-11T09:00:00Z'],
    ['date', '2026-12-11'],
    ['duration', 'P5D'],
    ['duration', 'PT10M'],
    ['cycle', 'R5/PT10S'],
    ['cycle', 'R/2026-01-01T09:00:00Z/P1D'],
  ])('accepts %s %j', (kind, value) => {
    expect(checkTimerSpec({ kind, value })).toEqual({ ok: true });
  });

  it.each<[TimerSpec['kind'], string, RegExp]>([
    ['date', 'P5D', /not an ISO-8601 date/],
    ['date', '2026-02-30', /no such date/],
    ['duration', '2026-12-11', /not an ISO-8601 duration/],
    ['duration', 'P1H', /after a T/],
    ['cycle', 'PT10S', /repeating interval/],
    ['cycle', '0 0 9 * * MON', /cron/],
  ])('rejects %s %j', (kind, value, message) => {
    const result = checkTimerSpec({ kind, value });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('firstDue', () => {
  it.each([
    ['a date', { kind: 'date', value: '2026-12-11T09:00:00' }, '2026-01-01T00:00:00.000Z', { dueAt: '2026-12-11T09:00:00.000Z' }],
    ['a date already past (due at once)', { kind: 'date', value: '2025-12-11' }, '2026-01-01T00:00:00.000Z', { dueAt: '2025-12-11T00:00:00.000Z' }],
    ['a duration across the clock change', { kind: 'duration', value: 'P5D' }, '2026-03-26T09:00:00.000Z', { dueAt: '2026-03-31T08:00:00.000Z' }],
    ['a cycle without a start', { kind: 'cycle', value: 'R4/PT10S' }, '2026-01-01T00:00:00.000Z', { dueAt: '2026-01-01T00:00:10.000Z', repeat: 3, period: 'PT10S' }],
    ['an unbounded cycle', { kind: 'cycle', value: 'R/PT1M' }, '2026-01-01T00:00:00.000Z', { dueAt: '2026-01-01T00:01:00.000Z', repeat: -1, period: 'PT1M' }],
    ['a cycle that fires once', { kind: 'cycle', value: 'R1/PT1M' }, '2026-01-01T00:00:00.000Z', { dueAt: '2026-01-01T00:01:00.000Z', repeat: 0, period: 'PT1M' }],
    ['a cycle starting later', { kind: 'cycle', value: 'R3/2026-01-01T09:00:00Z/P1D' }, '2025-12-31T00:00:00.000Z', { dueAt: '2026-01-01T09:00:00.000Z', repeat: 2, period: 'P1D' }],
    ['a cycle starting now', { kind: 'cycle', value: 'R3/2026-01-01T09:00:00Z/P1D' }, '2026-01-01T09:00:00.000Z', { dueAt: '2026-01-01T09:00:00.000Z', repeat: 2, period: 'P1D' }],
    // Occurrences before now use up repetitions: 1 Jan and 2 Jan are gone, 3 Jan is the last.
    ['a cycle that started earlier', { kind: 'cycle', value: 'R3/2026-01-01T09:00:00Z/P1D' }, '2026-01-02T12:00:00.000Z', { dueAt: '2026-01-03T09:00:00.000Z', repeat: 0, period: 'P1D' }],
    ['an unbounded cycle long started', { kind: 'cycle', value: 'R/2026-01-01T00:00:00Z/PT1S' }, '2026-06-01T12:00:00.500Z', { dueAt: '2026-06-01T12:00:01.000Z', repeat: -1, period: 'PT1S' }],
    ['an occurrence exactly at now', { kind: 'cycle', value: 'R/2026-01-01T00:00:00Z/PT1S' }, '2026-06-01T12:00:00.000Z', { dueAt: '2026-06-01T12:00:00.000Z', repeat: -1, period: 'PT1S' }],
    ['a bounded cycle part used', { kind: 'cycle', value: 'R10/2026-01-01T00:00:00Z/PT1M' }, '2026-01-01T00:05:30.000Z', { dueAt: '2026-01-01T00:06:00.000Z', repeat: 3, period: 'PT1M' }],
    ['a cycle with an end', { kind: 'cycle', value: 'R2/P1D/2026-01-10T00:00:00Z' }, '2026-01-08T00:00:00.000Z', { dueAt: '2026-01-09T00:00:00.000Z', repeat: 1, period: 'P1D', end: '2026-01-10T00:00:00.000Z' }],
  ] as [string, TimerSpec, string, object][])('%s', (_name, spec, now, expected) => {
    expect(firstDue(spec, now, calendarDays)).toEqual({ ok: true, ...expected });
  });

  it('counts on the calendar it is given', () => {
    expect(firstDue({ kind: 'duration', value: 'P1D' }, '2026-04-02T08:00:00.000Z', workingDays2026)).toEqual({ ok: true, dueAt: '2026-04-07T08:00:00.000Z' });
    expect(firstDue({ kind: 'cycle', value: 'R/P1W' }, '2026-12-24T09:00:00.000Z', workingDays2026to2027)).toMatchObject({ ok: true, dueAt: '2027-01-05T09:00:00.000Z' });
  });

  it.each([
    ['a bad value', { kind: 'duration', value: 'five days' }, '2026-01-01T00:00:00.000Z', { code: 'invalid-timer' }],
    ['a deadline beyond the calendar', { kind: 'duration', value: 'P3D' }, '2026-12-30T09:00:00.000Z', { code: 'outside-calendar', date: '2027-01-01' }],
    ['a cycle whose repetitions all fell before now', { kind: 'cycle', value: 'R3/2026-01-01T00:00:00Z/PT1M' }, '2026-01-01T00:05:30.000Z', { code: 'cycle-ended' }],
    ['a cycle whose first firing is after its end', { kind: 'cycle', value: 'R/P1D/2026-01-10T00:00:00Z' }, '2026-01-09T12:00:00.000Z', { code: 'cycle-ended' }],
  ] as [string, TimerSpec, string, object][])('fails for %s', (_name, spec, now, expected) => {
    expect(firstDue(spec, now, workingDays2026)).toMatchObject({ ok: false, ...expected });
  });
});

describe('nextDue', () => {
  const hourly = { period: 'PT1H' };
  it.each([
    ['the next of a bounded cycle', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: 3 }, '2026-01-01T10:00:00.200Z', { dueAt: '2026-01-01T11:00:00.000Z', repeat: 2 }],
    ['the next of an unbounded cycle', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: -1 }, '2026-01-01T10:00:00.200Z', { dueAt: '2026-01-01T11:00:00.000Z', repeat: -1 }],
    // Down from 10:00 to 12:30: the late 10:00 firing stood for 11:00 and 12:00 too.
    ['after downtime, skipping missed periods', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: 3 }, '2026-01-01T12:30:00.000Z', { dueAt: '2026-01-01T13:00:00.000Z', repeat: 0 }],
    ['an occurrence exactly at now is missed too', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: -1 }, '2026-01-01T12:00:00.000Z', { dueAt: '2026-01-01T13:00:00.000Z', repeat: -1 }],
    ['a day period keeping 09:00 London time', { period: 'P1D', dueAt: '2026-03-28T09:00:00.000Z', repeat: -1 }, '2026-03-28T09:00:01.000Z', { dueAt: '2026-03-29T08:00:00.000Z', repeat: -1 }],
    ['a day period after downtime across the clock change', { period: 'P1D', dueAt: '2026-03-27T09:00:00.000Z', repeat: -1 }, '2026-04-02T12:00:00.000Z', { dueAt: '2026-04-03T08:00:00.000Z', repeat: -1 }],
    ['a month period from the 31st (each from the last)', { period: 'P1M', dueAt: '2026-02-28T10:00:00.000Z', repeat: -1 }, '2026-02-28T10:00:00.000Z', { dueAt: '2026-03-28T10:00:00.000Z', repeat: -1 }],
    ['the last firing before the end', { period: 'P1D', dueAt: '2026-01-09T00:00:00.000Z', repeat: -1, end: '2026-01-10T00:00:00.000Z' }, '2026-01-09T00:00:00.000Z', { dueAt: '2026-01-10T00:00:00.000Z', repeat: -1 }],
    ['a week after a long downtime, PT1S', { period: 'PT1S', dueAt: '2026-01-01T00:00:00.000Z', repeat: 1_000_000 }, '2026-01-08T00:00:00.500Z', { dueAt: '2026-01-08T00:00:01.000Z', repeat: 1_000_000 - 604_801 }],
  ])('%s', (_name, prev, now, expected) => {
    expect(nextDue(prev, now, calendarDays)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['no repetition is left', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: 0 }, '2026-01-01T10:00:00.000Z'],
    ['the repetitions run out during downtime', { ...hourly, dueAt: '2026-01-01T10:00:00.000Z', repeat: 1 }, '2026-01-01T12:30:00.000Z'],
    ['the repetitions run out during a long downtime', { period: 'PT1S', dueAt: '2026-01-01T00:00:00.000Z', repeat: 10 }, '2026-01-08T00:00:00.000Z'],
    ['the next is past the end', { period: 'P1D', dueAt: '2026-01-10T00:00:00.000Z', repeat: -1, end: '2026-01-10T00:00:00.000Z' }, '2026-01-10T00:00:00.000Z'],
  ])('is null when %s', (_name, prev, now) => {
    expect(nextDue(prev, now, calendarDays)).toBeNull();
  });

  it('counts working days, skipping Easter after downtime', () => {
    const prev = { period: 'P1D', dueAt: '2026-04-01T08:00:00.000Z', repeat: -1 };
    expect(nextDue(prev, '2026-04-06T12:00:00.000Z', workingDays2026)).toEqual({ ok: true, dueAt: '2026-04-07T08:00:00.000Z', repeat: -1 });
  });

  it('fails when the next firing is beyond the calendar', () => {
    const prev = { period: 'P1D', dueAt: '2026-12-31T09:00:00.000Z', repeat: -1 };
    expect(nextDue(prev, '2026-12-31T09:00:00.000Z', workingDays2026)).toMatchObject({ ok: false, code: 'outside-calendar', date: '2027-01-01' });
  });

  it('ends, rather than fails, when the calendar runs out after the end', () => {
    const prev = { period: 'P1D', dueAt: '2026-12-31T09:00:00.000Z', repeat: -1, end: '2026-12-31T17:00:00.000Z' };
    expect(nextDue(prev, '2026-12-31T09:00:00.000Z', workingDays2026)).toBeNull();
    expect(firstDue({ kind: 'cycle', value: 'R/P1D/2026-12-31T17:00:00Z' }, '2026-12-31T09:00:00.000Z', workingDays2026)).toMatchObject({ ok: false, code: 'cycle-ended' });
  });

  it('fails on a stored period that is not a duration', () => {
    expect(nextDue({ period: 'hourly', dueAt: '2026-01-01T10:00:00.000Z', repeat: -1 }, '2026-01-01T10:00:00.000Z', calendarDays)).toMatchObject({ ok: false, code: 'invalid-timer' });
  });

  it('skips elapsed periods exactly as firing them one by one would', () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90_000 }), fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: -1, max: 200 }), (periodMs, downtimeMs, repeat) => {
        const prev = { dueAt: new Date(start).toISOString(), repeat, period: `PT${periodMs / 1000}S` };
        const now = start + downtimeMs;
        // One by one: the first occurrence after now, if the repetitions last that long.
        const steps = Math.floor(downtimeMs / periodMs) + 1;
        const expected = repeat !== -1 && steps > repeat ? null : { ok: true, dueAt: new Date(start + steps * periodMs).toISOString(), repeat: repeat === -1 ? -1 : repeat - steps };
        expect(nextDue(prev, new Date(now).toISOString(), calendarDays)).toEqual(expected);
      }),
    );
  });
});
