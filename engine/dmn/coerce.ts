// Input values arrive as JSON (variables are stored as JSON, and expression results are turned
// into JSON): a date is ISO text. Before the input entries test it, a value is turned into the
// FEEL value its input's typeRef names, so `[date("2026-09-01")..date("2027-08-31")]` compares
// dates, not text. Without a typeRef the value is tested as it is.
import { duration, parseDate, parseDateTime, parseTime } from 'feelin';

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const NUMBER_TYPES = new Set(['integer', 'long', 'double', 'number']);
const DATE_TIME_TYPES = new Set(['datetime', 'date and time']);
const DURATION_TYPES = new Set(['daytimeduration', 'yearmonthduration', 'duration', 'days and time duration', 'years and months duration']);

export function coerceInput(value: unknown, typeRef: string | undefined): Coerced {
  if (typeof value !== 'string' || !typeRef) return { ok: true, value };
  const type = typeRef.trim().toLowerCase();
  const parsed = (v: unknown, what: string): Coerced => (v === null ? { ok: false, message: `"${value}" is not a ${what}` } : { ok: true, value: v });
  // Camunda 7's `date` is a date and time; Camunda 8's is a date. The text says which it is.
  if (type === 'date') return value.includes('T') ? parsed(parseDateTime(value), 'date and time') : parsed(parseDate(value), 'date');
  if (DATE_TIME_TYPES.has(type)) return parsed(parseDateTime(value), 'date and time');
  if (type === 'time') return parsed(parseTime(value), 'time');
  if (DURATION_TYPES.has(type)) return parsed(duration(value), 'duration');
  if (NUMBER_TYPES.has(type)) {
    const n = value.trim() === '' ? NaN : Number(value);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${value}" is not a number` };
  }
  if (type === 'boolean' && (value === 'true' || value === 'false')) return { ok: true, value: value === 'true' };
  return { ok: true, value };
}
