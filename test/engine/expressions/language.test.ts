import { compileExpression, compileValue, type ExpressionLanguage } from '../../../engine/expressions/index.js';
import { env } from './helpers.js';

type Case = [text: string, defaultLanguage: ExpressionLanguage, language: string | undefined, expected: ExpressionLanguage | string];

describe('which language a model text is in', () => {
  it.each<Case>([
    // 1. a leading '=' is FEEL (Zeebe), whatever else is said
    ['= x', 'juel', undefined, 'feel'],
    ['  =x', 'juel', undefined, 'feel'],
    ['= x', 'juel', 'juel', 'feel'],
    ['="${x}"', 'juel', undefined, 'feel'],
    // 2. ${...} / #{...} is JUEL (Camunda 7, Flowable)
    ['${x}', 'feel', undefined, 'juel'],
    ['#{x}', 'feel', undefined, 'juel'],
    ['a ${x} b', 'feel', undefined, 'juel'],
    ['${x}', 'feel', 'https://www.omg.org/spec/DMN/20191111/FEEL/', 'juel'],
    // 3. the model's language attribute
    ['x', 'juel', 'https://www.omg.org/spec/DMN/20191111/FEEL/', 'feel'],
    ['x', 'juel', 'feel', 'feel'],
    ['x', 'juel', 'FEEL', 'feel'],
    ['x', 'feel', 'juel', 'juel'],
    ['x', 'feel', 'http://camunda.org/JUEL', 'juel'],
    ['x', 'feel', '', 'feel'],
    ['x', 'juel', '  ', 'juel'],
    // 4. the flavour's default
    ['x', 'feel', undefined, 'feel'],
    ['x', 'juel', undefined, 'juel'],
    // unsupported languages name themselves
    ['x', 'juel', 'http://www.w3.org/1999/XPath', "expression language 'http://www.w3.org/1999/XPath' is not supported (only FEEL and JUEL are)"],
    ['x', 'feel', 'javascript', "expression language 'javascript' is not supported (only FEEL and JUEL are)"],
  ])('%j (default %s, language %j) -> %s', (text, defaultLanguage, language, expected) => {
    const c = compileExpression(text, { defaultLanguage, language });
    if (c.ok) expect(c.expr.language).toBe(expected);
    else expect(c.message).toBe(expected);
  });

  it('keeps the source as written', () => {
    const c = compileExpression('\n  ${x > 1}\n', { defaultLanguage: 'feel' });
    expect(c.ok && c.expr.source).toBe('\n  ${x > 1}\n');
  });

  it('gives the same value for the same condition in each language', () => {
    const vars = { amount: 5 };
    const texts: Array<[string, ExpressionLanguage]> = [['= amount > 3', 'juel'], ['${amount > 3}', 'feel'], ['amount > 3', 'feel'], ['amount > 3', 'juel']];
    for (const [text, defaultLanguage] of texts) {
      const c = compileExpression(text, { defaultLanguage });
      expect(c.ok && c.expr.evaluate(vars, env)).toBe(true);
    }
  });
});

describe('compileValue: a literal or an expression', () => {
  it.each<[string, ExpressionLanguage, { literal: string } | { value: unknown } | { message: string }]>([
    // Zeebe: '=' marks an expression; anything else is literal, ${} included
    ['managers', 'feel', { literal: 'managers' }],
    ['= group', 'feel', { value: 'heads' }],
    ['=upper case(group)', 'feel', { value: 'HEADS' }],
    ['${group}', 'feel', { literal: '${group}' }],
    ['', 'feel', { literal: '' }],
    ['= group +', 'feel', { message: 'FEEL syntax error at 10: = group +' }],
    // Camunda 7: ${} marks an expression; anything else is literal, a leading '=' included
    ['managers', 'juel', { literal: 'managers' }],
    ['${group}', 'juel', { value: 'heads' }],
    ['team-${group}', 'juel', { value: 'team-heads' }],
    ['=group', 'juel', { literal: '=group' }],
    ['a \\${b}', 'juel', { literal: 'a \\${b}' }],
    ['${group', 'juel', { message: "JUEL syntax error at 1: unterminated '${': ${group" }],
    // a literal is returned exactly as written
    [' PT1H ', 'juel', { literal: ' PT1H ' }],
  ])('%j (%s) -> %j', (text, defaultLanguage, expected) => {
    const c = compileValue(text, { defaultLanguage });
    if (!c.ok) return expect({ message: c.message }).toEqual(expected);
    if ('literal' in c) return expect({ literal: c.literal }).toEqual(expected);
    expect({ value: c.expr.evaluate({ group: 'heads' }, env) }).toEqual(expected);
  });
});
