import { evaluate } from 'feelin';
import { ExpressionError, toJson } from '../../../engine/expressions/index.js';

const feel = (text: string) => evaluate(text).value;

describe('toJson', () => {
  it.each<[string, unknown, unknown]>([
    ['null', null, null],
    ['undefined', undefined, null],
    ['text', 'a', 'a'],
    ['number', 1.5, 1.5],
    ['boolean', false, false],
    ['list', [1, 'a', null, undefined], [1, 'a', null, null]],
    ['object', { a: { b: [true] } }, { a: { b: [true] } }],
    ['Map', new Map<string, unknown>([['a', 1], ['b', new Map([['c', 2]])]]), { a: 1, b: { c: 2 } }],
    ['date', feel('date("2026-03-01")'), '2026-03-01'],
    ['UTC date-time', feel('date and time("2026-03-01T10:00:00Z")'), '2026-03-01T10:00:00Z'],
    ['offset date-time', feel('date and time("2026-03-01T10:00:00-05:00")'), '2026-03-01T10:00:00-05:00'],
    ['zoned date-time (winter)', feel('date and time("2026-01-15T10:00:00@Europe/London")'), '2026-01-15T10:00:00+00:00'],
    ['zoned date-time (summer)', feel('date and time("2026-07-15T10:00:00@Europe/London")'), '2026-07-15T10:00:00+01:00'],
    ['local date-time', feel('date and time("2026-03-01T10:00:00")'), '2026-03-01T10:00:00'],
    ['time', feel('time("10:15:00")'), '10:15:00'],
    ['days and time duration', feel('duration("P2DT3H")'), 'P2DT3H'],
    ['negative duration', feel('duration("-PT15M")'), '-PT15M'],
    ['years and months duration', feel('duration("P1Y6M")'), 'P1Y6M'],
    ['temporals inside a context', feel('{due: date("2026-03-01"), wait: duration("P3D")}'), { due: '2026-03-01', wait: 'P3D' }],
  ])('%s', (_name, value, expected) => {
    expect(toJson(value)).toEqual(expected);
  });

  it('keeps a key named __proto__ as an ordinary entry', () => {
    const out = toJson(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect((out as { x?: number }).x).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['range', feel('[1..3]'), 'a FEEL range cannot be stored as a value'],
    ['FEEL function', feel('function(a) a'), 'a FEEL function cannot be stored as a value'],
    ['JS function', () => 1, 'a function cannot be stored as a value'],
    ['NaN', NaN, 'result NaN is not a finite number'],
    ['Infinity', Infinity, 'result Infinity is not a finite number'],
    ['bigint', 1n, 'a bigint cannot be stored as a value'],
    ['class instance', new Date(0), 'a Date object cannot be stored as a value'],
    ['Map with number keys', new Map([[1, 1]]), 'a map with non-text keys cannot be stored as a value'],
    ['nested range', { r: [feel('[1..3]')] }, 'a FEEL range cannot be stored as a value'],
  ])('refuses a %s', (_name, value, message) => {
    expect(() => toJson(value)).toThrow(new ExpressionError('expression-eval', message));
  });
});
