// The FEEL fast path must give exactly what feelin gives, for every input.
import fc from 'fast-check';
import { evaluate } from 'feelin';
import { fastFeel } from '../../../engine/expressions/feel-fast.js';
import { toJson } from '../../../engine/expressions/json.js';

const EXPRESSIONS = [
  'approved', 'score', 'a.b', 'a.b.c', 'signoffOutcome = "approved"', 'score >= 3', 'score < 2.5', 'score != 3', 'x = null', 'x != null',
  'flag = true', 'flag = false', 'name > "m"', 'name <= "Z"', 'score = "3"', 'a.b = 1', 'count>=10', 'route = "a"',
];

const value = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom('a', 'm', 'Z', 'approved', '3', ''), fc.constant(undefined));
const vars = fc.record({ approved: value, score: value, x: value, flag: value, name: value, count: value, route: value, signoffOutcome: value, a: fc.oneof(value, fc.record({ b: fc.oneof(value, fc.record({ c: value })) })) }, { requiredKeys: [] });

describe('FEEL fast path', () => {
  it.each(EXPRESSIONS)('%s takes the fast path', (e) => {
    expect(fastFeel(e)).toBeDefined();
  });

  it.each(['not(x)', 'x + 1', 'count(xs)', 'a[1]', 'x in [1..2]', 'true', 'if x then 1 else 2', 'x between 1 and 2'])('%s is left to feelin', (e) => {
    expect(fastFeel(e)).toBeUndefined();
  });

  it('agrees with feelin on every expression and random variables', () => {
    fc.assert(fc.property(fc.constantFrom(...EXPRESSIONS), vars, (e, v) => {
      const quick = fastFeel(e)!(v as Record<string, unknown>);
      if (quick === undefined) return; // declined: feelin decides
      expect(quick.value).toEqual(toJson(evaluate(e, v as Record<string, unknown>).value));
    }), { numRuns: 3000, seed: 7 });
  });
});
