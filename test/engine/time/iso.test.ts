import { formatDuration, parseCycle, parseDateTime, parseDuration } from '../../../engine/time/index.js';
import { duration } from './fixtures.js';

describe('parseDuration', () => {
  it.each([
    ['P5D', duration({ days: 5 })],
    ['PT10M', duration({ minutes: 10 })],
    ['P1Y2M3DT4H5M6.5S', duration({ years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6.5 })],
    ['P2W', duration({ weeks: 2 })],
    ['P1M', duration({ months: 1 })],
    ['PT36H', duration({ hours: 36 })],
    ['PT0,5S', duration({ seconds: 0.5 })],
    ['PT0S', duration({})],
    ['  PT1H\n', duration({ hours: 1 })],
  ])('reads %j', (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['P', /names no amount/],
    ['PT', /names no amount/],
    ['P1DT', /T must be followed/],
    ['5D', /not an ISO-8601 duration/],
    ['P1H', /after a T/],
    ['P1DT2H3D', /not an ISO-8601 duration/],
    ['P1D2Y', /not an ISO-8601 duration/],
    ['P1.5D', /not an ISO-8601 duration/],
    ['p1d', /not an ISO-8601 duration/],
    ['-P1D', /negative/],
    ['P-1D', /not an ISO-8601 duration/],
    ['', /not an ISO-8601 duration/],
    ['five days', /not an ISO-8601 duration/],
    ['P99999999999999999999D', /too long/],
  ])('rejects %j', (input, message) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each(['P5D', 'PT10M', 'P1Y2M3DT4H5M6.5S', 'P2W', 'P1DT12H', 'PT0S'])('formats %s back to ISO', (iso) => {
    const parsed = parseDuration(iso);
    expect(parsed.ok && formatDuration(parsed.value)).toBe(iso);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-06-01T09:00:00Z', '2026-06-01T09:00:00.000Z'],
    ['2026-06-01T10:00:00+01:00', '2026-06-01T09:00:00.000Z'],
    ['2026-06-01T10:00:00+0100', '2026-06-01T09:00:00.000Z'],
    ['2026-06-01T04:00:00-05', '2026-06-01T09:00:00.000Z'],
    ['2026-06-01T09:00:00.123456Z', '2026-06-01T09:00:00.123Z'],
    ['2026-06-01T09:00Z', '2026-06-01T09:00:00.000Z'],
    // Without a zone: Europe/London wall-clock time.
    ['2026-06-01T10:00', '2026-06-01T09:00:00.000Z'],
    ['2026-01-15T10:00:00', '2026-01-15T10:00:00.000Z'],
    ['2026-03-29T00:59:59', '2026-03-29T00:59:59.000Z'],
    ['2026-03-29T02:00:00', '2026-03-29T01:00:00.000Z'],
    ['2026-10-25T00:59:00', '2026-10-24T23:59:00.000Z'],
    ['2026-10-25T02:00:00', '2026-10-25T02:00:00.000Z'],
    // 01:30 on 29 March 2026 never happens: shifted forward to 02:30 BST.
    ['2026-03-29T01:30:00', '2026-03-29T01:30:00.000Z'],
    // 01:30 on 25 October 2026 happens twice: the first time, in BST.
    ['2026-10-25T01:30:00', '2026-10-25T00:30:00.000Z'],
    // A plain date: 00:00 London time.
    ['2026-12-11', '2026-12-11T00:00:00.000Z'],
    ['2026-07-11', '2026-07-10T23:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseDateTime(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2026-02-29', /no such date/],
    ['2026-13-01', /no such date/],
    ['2026-04-31', /no such date/],
    ['2026-06-01T24:00:00Z', /no such time/],
    ['2026-06-01T09:60Z', /no such time/],
    ['2026-06-01T09:00:60Z', /no such time/],
    ['2026-06-01T09:00:00+24:00', /no such UTC offset/],
    ['1899-12-31', /years from 1900/],
    ['9999-12-31T23:00:00-05:00', /years from 1900/],
    ['2026-06-01 09:00', /not an ISO-8601 date/],
    ['2026-6-1', /not an ISO-8601 date/],
    ['2026-06-01Z', /not an ISO-8601 date/],
    ['11/12/2026', /not an ISO-8601 date/],
    ['tomorrow', /not an ISO-8601 date/],
    ['', /not an ISO-8601 date/],
  ])('rejects %j', (input, message) => {
    const result = parseDateTime(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('parseCycle', () => {
  it.each([
    ['R5/PT10S', { repetitions: 5, period: duration({ seconds: 10 }) }],
    ['R/PT1M', { repetitions: -1, period: duration({ minutes: 1 }) }],
    ['R3/2026-01-01T09:00:00Z/P1D', { repetitions: 3, start: '2026-01-01T09:00:00.000Z', period: duration({ days: 1 }) }],
    ['R2/P1D/2026-01-10T00:00:00Z', { repetitions: 2, period: duration({ days: 1 }), end: '2026-01-10T00:00:00.000Z' }],
    ['R/2026-06-01T09:00/P1W', { repetitions: -1, start: '2026-06-01T08:00:00.000Z', period: duration({ weeks: 1 }) }],
  ])('reads %j', (input, expected) => {
    expect(parseCycle(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['R-1/PT1S', /whole number/],
    ['R1.5/PT1S', /whole number/],
    ['RR/PT1S', /whole number/],
    ['R0/PT1S', /never fire/],
    ['R/', /not an ISO-8601 duration/],
    ['R', /not an ISO-8601 repeating interval/],
    ['R5/PT1M/2026-01-01/P1D', /not an ISO-8601 repeating interval/],
    ['R5/PT0S', /at least a millisecond/],
    ['R5/PT0.0001S', /at least a millisecond/],
    ['R5/P1D/P2D', /not an ISO-8601 date/],
    ['R5/2026-01-01/2026-02-01', /not an ISO-8601 duration/],
    ['R5/2026-02-30T09:00:00Z/P1D', /no such date/],
    ['PT1M', /not an ISO-8601 repeating interval/],
    ['0 0 9 * * MON', /cron expressions are not supported/],
    ['garbage', /not an ISO-8601 repeating interval/],
  ])('rejects %j', (input, message) => {
    const result = parseCycle(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
