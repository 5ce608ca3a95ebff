// Expression results go into variables, events and snapshots, which are stored as JSON.
// FEEL produces rich values (temporals, durations, ranges, functions); this turns the
// storable ones into their ISO text and refuses the rest, so nothing unserialisable leaks.
import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, FeelRange, FeelTime } from 'feelin';
import { ExpressionError } from './expression.js';

export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new ExpressionError('expression-eval', `result ${value} is not a finite number`);
      return value;
    case 'function':
      throw new ExpressionError('expression-eval', 'a function cannot be stored as a value');
    case 'object':
      return objectToJson(value);
    default:
      throw new ExpressionError('expression-eval', `a ${typeof value} cannot be stored as a value`);
  }
}

function objectToJson(value: object): unknown {
  if (value instanceof FeelDateTime) return dateTimeIso(value);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) return value.iso;
  if (value instanceof FeelRange) throw new ExpressionError('expression-eval', 'a FEEL range cannot be stored as a value');
  if (value instanceof FeelFunction) throw new ExpressionError('expression-eval', 'a FEEL function cannot be stored as a value');
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      if (typeof k !== 'string') throw new ExpressionError('expression-eval', 'a map with non-text keys cannot be stored as a value');
      defineEntry(out, k, toJson(v));
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new ExpressionError('expression-eval', `a ${proto?.constructor?.name ?? 'value'} object cannot be stored as a value`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) defineEntry(out, k, toJson(v));
  return out;
}

// A key named "__proto__" must stay an ordinary entry, never re-parent the result object.
function defineEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

// feelin writes a named zone as `...@Europe/Paris`, which is not ISO-8601: resolve it to the
// offset in force at that instant (e.g. 2026-07-01T10:00:00+02:00). Offsets, Z and local
// date-times are already ISO.
function dateTimeIso(value: FeelDateTime): string {
  if (value.zone === null || !value.iso.includes('@')) return value.iso;
  return value.unwrap().toZonedDateTime(value.zone).toString({ timeZoneName: 'never' });
}
