// Whatever text a model holds, compiling never throws and evaluation fails only with
// ExpressionError: random texts from the JUEL and FEEL alphabets, over hostile variables.
import fc from 'fast-check';
import { compileExpression, ExpressionError } from '../../../engine/expressions/index.js';
import { env } from './helpers.js';

const pieces = [
  'a', 'b', 'list', 'obj', 'name', 'constructor', '__proto__', 'prototype', 'toString', 'empty', 'not', 'and', 'or',
  'div', 'mod', 'eq', 'true', 'null', '0', '1', '2.5', '"x"', "'y'", '.', '[', ']', '(', ')', '?', ':', ',', '+', '-',
  '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', '!', '${', '#{', '}', '=', ' ', '\\', 'contains(', 'size()',
  'substring(', 'date(', 'now()', 'duration("P1D")', '..', 'if', 'then', 'else', 'for', 'in', 'return',
];

const vars = {
  a: 1,
  b: 'two',
  list: [1, 'x', null],
  obj: JSON.parse('{"__proto__": {"p": 1}, "k": {"n": 0}}') as unknown,
  name: '',
};

describe('robustness', () => {
  it('never throws anything but ExpressionError, never pollutes prototypes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 12 }),
        fc.constantFrom<'feel' | 'juel'>('feel', 'juel'),
        (parts, defaultLanguage) => {
          const c = compileExpression(parts.join(''), { defaultLanguage });
          if (!c.ok) return;
          try {
            JSON.stringify(c.expr.evaluate(vars, env));
          } catch (err) {
            if (!(err instanceof ExpressionError)) throw err;
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});

describe('absurdly nested text', () => {
  it.each([
    ['JUEL', '${' + '('.repeat(50000) + '1' + ')'.repeat(50000) + '}'],
    ['JUEL unary', '${' + '-'.repeat(100000) + '1}'],
    ['FEEL', '=' + '('.repeat(50000) + '1' + ')'.repeat(50000)],
  ])('%s is refused at compile time, not by a crash', (_name, text) => {
    const c = compileExpression(text, { defaultLanguage: 'juel' });
    expect(c.ok).toBe(false);
  });
});
