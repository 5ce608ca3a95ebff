import { parseDate } from 'feelin';
import { compileUnaryTests, ExpressionError } from '../../../engine/expressions/index.js';
import { compile, compileError, env, evalError } from './helpers.js';

const vars = {
  amount: 1200,
  status: 'open',
  tags: ['a', 'b'],
  person: { name: 'Ann', age: 41 },
  start: '2026-09-01',
  flag: true,
};

describe('FEEL: values over the instance variables', () => {
  it.each([
    // conditions
    ['= amount > 1000', true],
    ['= amount > 1000 and status = "open"', true],
    ['= status != "open" or not(flag)', false],
    ['= if amount < 100 then "small" else "large"', 'large'],
    ['= person.age >= 18', true],
    ['= amount between 1000 and 2000', true],
    ['= status in ("open", "closed")', true],
    ['= some t in tags satisfies t = "b"', true],
    // lists
    ['= tags', ['a', 'b']],
    ['= count(tags)', 2],
    ['= tags[1]', 'a'],
    ['= [1, 2, 3][item > 1]', [2, 3]],
    ['= for x in [1, 2, 3] return x * 2', [2, 4, 6]],
    ['= list contains(tags, "a")', true],
    ['= sum([1, 2, 3])', 6],
    // maps (contexts)
    ['= {total: amount * 2, who: person.name}', { total: 2400, who: 'Ann' }],
    ['= {a: {b: [1, {c: true}]}}', { a: { b: [1, { c: true }] } }],
    ['= person', { name: 'Ann', age: 41 }],
    ['= context put(person, "age", 42).age', 42],
    // strings
    ['= "Dear " + person.name', 'Dear Ann'],
    ['= upper case(status)', 'OPEN'],
    ['= string length(status)', 4],
    // dates and durations (ISO text out)
    ['= date(start) + duration("P30D")', '2026-10-01'],
    ['= date(start) - duration("P1M")', '2026-08-01'],
    ['= date("2026-12-25") - date(start)', 'P115D'],
    ['= date and time("2026-01-01T10:00:00Z") + duration("PT90M")', '2026-01-01T11:30:00Z'],
    ['= date and time("2026-07-01T10:00:00@Europe/London")', '2026-07-01T10:00:00+01:00'],
    ['= date and time("2026-01-01T10:00:00+02:00")', '2026-01-01T10:00:00+02:00'],
    ['= date and time("2026-01-01T10:00:00")', '2026-01-01T10:00:00'],
    ['= time("08:30:00")', '08:30:00'],
    ['= duration("P1Y2M")', 'P1Y2M'],
    ['= duration("PT36H")', 'P1DT12H'],
    ['= date(start) > date("2026-01-01")', true],
    ['= date(start).month', 9],
    ['= day of week(date(start))', 'Tuesday'],
    // nulls where FEEL has no value
    ['= missing', null],
    ['= missing > 3', null],
    ['= person.missing', null],
    ['= 1 / 0', null],
    ['= "a" + 1', null],
    ['= null', null],
  ])('%s -> %j', (text, expected) => {
    const expr = compile(text, 'juel');
    expect(expr.language).toBe('feel');
    expect(expr.evaluate(vars, env)).toEqual(expected);
  });
});

describe('FEEL: now() and today() come from env.now, never the clock', () => {
  it.each([
    ['= now()', '2026-11-02T09:00:00Z'],
    ['= today()', '2026-11-02'],
    ['= now() + duration("P14D")', '2026-11-16T09:00:00Z'],
    ['= today() + duration("P1M")', '2026-12-02'],
    ['= now() > date and time("2026-11-01T00:00:00Z")', true],
    ['= date(start) < today()', true],
  ])('%s -> %j', (text, expected) => {
    expect(compile(text).evaluate(vars, env)).toEqual(expected);
  });

  it('follows env.now, including milliseconds and other instants', () => {
    expect(compile('= now()').evaluate({}, { now: '2031-02-03T04:05:06.789Z' })).toBe('2031-02-03T04:05:06.789Z');
    expect(compile('= today()').evaluate({}, { now: '2031-02-03T23:59:59Z' })).toBe('2031-02-03');
    // In summer, 23:30 UTC is already tomorrow in Wales.
    expect(compile('= today()').evaluate({}, { now: '2026-07-01T23:30:00Z' })).toBe('2026-07-02');
  });

  it('gives the same result on every evaluation', () => {
    const expr = compile('= now()');
    expect(new Set([1, 2, 3].map(() => expr.evaluate({}, env))).size).toBe(1);
  });

  it('rejects an evaluation instant that is not ISO-8601 when the expression reads the clock', () => {
    expect(compile('= 1').evaluate({}, { now: 'yesterday' })).toBe(1);
    const expr = compile('= now()');
    expect(() => expr.evaluate({}, { now: 'yesterday' })).toThrow(ExpressionError);
    expect(() => expr.evaluate({}, { now: 'yesterday' })).toThrow('evaluation instant is not an ISO date-time: yesterday');
  });
});

describe('FEEL: errors', () => {
  it.each([
    ['x >', 'feel', 'FEEL syntax error at 4: x >'],
    ['=x >', 'juel', 'FEEL syntax error at 5: =x >'],
    ['= a +* b', 'juel', 'FEEL syntax error at 6: = a +* b'],
    ['=', 'juel', 'FEEL syntax error at 2: ='],
    ['  = (1 ', 'juel', 'FEEL syntax error at 5: = (1'],
    ['{a: }', 'feel', 'FEEL syntax error at 5: {a: }'],
    ['test.contains("a")>', 'feel', 'FEEL syntax error at 20: test.contains("a")>'],
  ] as const)('%j (default %s) -> %s', (text, lang, message) => {
    expect(compileError(text, lang)).toBe(message);
  });

  it.each([
    ['= [1..3]', 'a FEEL range cannot be stored as a value'],
    ['= function(a) a + 1', 'a FEEL function cannot be stored as a value'],
    ['= {f: function() 1}', 'a FEEL function cannot be stored as a value'],
    ['= < 3', 'a FEEL range cannot be stored as a value'],
  ])('%s cannot be a result: %s', (text, reason) => {
    const err = evalError(compile(text), vars);
    expect(err.code).toBe('expression-eval');
    expect(err.message).toBe(`FEEL evaluation failed: ${reason} (in ${text.slice(1).trim()})`);
  });

  it('hides prototypes from FEEL paths', () => {
    expect(compile('= person.constructor').evaluate(vars, env)).toBeNull();
    expect(compile('= person.__proto__').evaluate(vars, env)).toBeNull();
    // A path on a list maps over its items.
    expect(compile('= tags.constructor').evaluate(vars, env)).toEqual([null, null]);
  });
});

describe('FEEL unary tests (DMN input entries)', () => {
  it.each([
    ['> 3', 5, true],
    ['> 3', 2, false],
    ['[1..5]', 5, true],
    ['(1..5)', 5, false],
    ['"a","b"', 'b', true],
    ['not("a")', 'a', false],
    ['-', 'anything', true],
    ['', 'anything', true],
    ['< limit', 4, true],
    ['> 3', null, false],
    ['> 3', 'text', false],
    ['<= today()', null, false],
    ['? > 3', 5, true],
  ])('%j with input %j -> %s', (text, input, expected) => {
    const c = compileUnaryTests(text);
    if (!c.ok) throw new Error(c.message);
    expect(c.test(input, { limit: 5 }, env)).toBe(expected);
  });

  it.each([
    ['< today()', parseDate('2026-11-01'), true],
    ['< today()', parseDate('2026-11-02'), false],
    ['<= now()', new Date('2026-11-02T09:00:00Z'), true],
    ['< now()', new Date('2026-11-02T09:00:01Z'), false],
    ['[date("2026-01-01")..today()]', parseDate('2026-06-01'), true],
  ])('%s uses env.now (input %s -> %s)', (text, input, expected) => {
    const c = compileUnaryTests(text);
    if (!c.ok) throw new Error(c.message);
    expect(c.test(input, {}, env)).toBe(expected);
  });

  it.each([
    ['> ', 'FEEL unary tests syntax error at 3: > '],
    ['[1..', 'FEEL unary tests syntax error at 5: [1..'],
  ])('%j is a syntax error', (text, message) => {
    expect(compileUnaryTests(text)).toEqual({ ok: false, message });
  });
});
