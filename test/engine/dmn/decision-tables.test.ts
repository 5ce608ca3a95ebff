// Evaluating decision tables: the forms of FEEL unary tests in input entries, every hit policy
// (with COLLECT's aggregations), several outputs, output defaults, literal-expression decisions,
// decisions that require other decisions, and evaluation errors that name what failed.
import { evaluateDecision } from '../../../engine/dmn/index.js';
import { compiled, decide, env, valueOf, type TableSpec } from './helpers.js';

/** One input `x` (of `typeRef`), one entry per test, output "yes" when it matches. */
const oneTest = (entry: string, typeRef?: string): TableSpec => ({
  inputs: [{ expr: 'x', typeRef }],
  outputs: [{ name: 'matched' }],
  rules: [[[entry], ['"yes"']]],
});

describe('input entries (FEEL unary tests)', () => {
  test.each([
    ['[1..5]', 3, true], ['[1..5]', 1, true], ['[1..5]', 5, true], ['[1..5]', 6, false], ['(1..5]', 1, false], ['[1..5)', 5, false],
    ['>= 10', 10, true], ['>= 10', 9, false], ['< 3', 2.5, true], ['!= 4', 4, false],
    ['"a","b"', 'b', true], ['"a","b"', 'c', false], ['"a, b"', 'a, b', true],
    ['not("a","b")', 'c', true], ['not("a","b")', 'a', false], ['not([1..5])', 7, true],
    ['-', 42, true], ['-', null, true], ['', 'anything', true],
    ['true', true, true], ['false', true, false],
    ['[1..5], > 10', 11, true], ['[1..5], > 10', 7, false],
    ['? > 3', 4, true], ['null', null, true],
    ['>= 3', null, false], ['"a"', null, false],
  ])('%s with %j -> %s', async (entry, x, matches) => {
    expect(await valueOf(oneTest(entry), { x })).toBe(matches ? 'yes' : null);
  });

  test('entries can compare with other variables', async () => {
    expect(await valueOf(oneTest('> threshold'), { x: 5, threshold: 3 })).toBe('yes');
    expect(await valueOf(oneTest('> threshold'), { x: 2, threshold: 3 })).toBeNull();
  });

  test.each([
    ['[date("2026-09-01")..date("2027-08-31")]', '2026-11-02', true],
    ['[date("2026-09-01")..date("2027-08-31")]', '2027-09-01', false],
    ['< date("2026-09-01")', '2026-08-31', true],
    ['date("2026-11-02")', '2026-11-02', true],
  ])('dates (typeRef date): %s with %s -> %s', async (entry, x, matches) => {
    expect(await valueOf(oneTest(entry, 'date'), { x })).toBe(matches ? 'yes' : null);
  });

  test('a date input compared without a typeRef is text, which never equals a date', async () => {
    expect(await valueOf(oneTest('date("2026-11-02")'), { x: '2026-11-02' })).toBeNull();
  });

  test('date and time inputs (typeRef dateTime, and Camunda 7 `date` with a time)', async () => {
    expect(await valueOf(oneTest('< date and time("2026-11-02T12:00:00Z")', 'dateTime'), { x: '2026-11-02T09:00:00Z' })).toBe('yes');
    expect(await valueOf(oneTest('< date and time("2026-11-02T12:00:00Z")', 'date'), { x: '2026-11-02T13:00:00Z' })).toBeNull();
  });

  test('an input expression can compute the value (a date from a variable) and read the evaluation instant', async () => {
    const t: TableSpec = { inputs: [{ expr: 'date(returned)', typeRef: 'date' }, { expr: 'today()', typeRef: 'date' }], outputs: [{ name: 'recent' }], rules: [[['> date("2026-10-01")', 'date("2026-11-02")'], ['true']]] };
    expect(await valueOf(t, { returned: '2026-10-20' })).toBe(true);
  });

  test('numeric text is a number for a number typeRef; other text is an evaluation error naming the input', async () => {
    expect(await valueOf(oneTest('>= 3', 'integer'), { x: '4' })).toBe('yes');
    const r = await decide({ ...oneTest('>= 3', 'integer'), inputs: [{ expr: 'x', typeRef: 'integer', label: 'Occasions' }] }, { x: 'four' });
    expect(r).toEqual({ ok: false, message: 'input "Occasions": "four" is not a number (typeRef integer)' });
  });

  test('camunda:inputVariable names the input value for the entries', async () => {
    const t: TableSpec = { inputs: [{ expr: 'a + b', inputVariable: 'total' }], outputs: [{ name: 'big' }], rules: [[['total > 10'], ['true']], [['-'], ['false']]], hitPolicy: 'FIRST' };
    expect(await valueOf(t, { a: 6, b: 7 })).toBe(true);
    expect(await valueOf(t, { a: 1, b: 2 })).toBe(false);
  });
});

/** Rules on `score`: r1 >= 50 -> "pass"/1, r2 >= 80 -> "merit"/2, r3 >= 90 -> "distinction"/3, r4 < 0 -> "error"/0. */
const grades = (hitPolicy: string, extra: Partial<TableSpec> = {}): TableSpec => ({
  hitPolicy,
  inputs: [{ expr: 'score', typeRef: 'integer' }],
  outputs: [{ name: 'grade', values: '"distinction","merit","pass","error"' }],
  rules: [[['>= 50'], ['"pass"']], [['>= 80'], ['"merit"']], [['>= 90'], ['"distinction"']], [['< 0'], ['"error"']]],
  ...extra,
});

describe('hit policies', () => {
  test('UNIQUE: the one matching rule, or null', async () => {
    expect(await decide(grades('UNIQUE'), { score: 60 })).toEqual({ ok: true, value: 'pass', matchedRules: ['r1'], results: [{ grade: 'pass' }] });
    expect(await decide(grades('UNIQUE'), { score: 10 })).toEqual({ ok: true, value: null, matchedRules: [], results: [] });
  });

  test('UNIQUE is the default when the table names none', async () => {
    const t = grades('UNIQUE');
    delete t.hitPolicy;
    expect((await decide(t, { score: 85 })).ok).toBe(false);
  });

  test('UNIQUE with several matching rules is an evaluation error naming them', async () => {
    expect(await decide(grades('UNIQUE'), { score: 95 })).toEqual({ ok: false, message: 'hit policy UNIQUE allows one matching rule, but rules r1, r2, r3 all match' });
  });

  test('FIRST: the first matching rule in table order', async () => {
    expect(await decide(grades('FIRST'), { score: 95 })).toEqual({ ok: true, value: 'pass', matchedRules: ['r1'], results: [{ grade: 'pass' }] });
  });

  test('PRIORITY: the matching rule whose output comes first in the output values', async () => {
    expect(await decide(grades('PRIORITY'), { score: 95 })).toEqual({ ok: true, value: 'distinction', matchedRules: ['r3'], results: [{ grade: 'distinction' }] });
    expect(await valueOf(grades('PRIORITY'), { score: 85 })).toBe('merit');
    expect(await valueOf(grades('PRIORITY'), { score: 10 })).toBeNull();
  });

  test('PRIORITY over several outputs ranks by the first output, then the next', async () => {
    const t: TableSpec = {
      hitPolicy: 'PRIORITY',
      inputs: [{ expr: 'days' }],
      outputs: [{ name: 'action', values: '"refer","meet","none"' }, { name: 'urgency', values: '"high","low"' }],
      rules: [[['>= 0'], ['"meet"', '"low"']], [['>= 10'], ['"meet"', '"high"']], [['>= 20'], ['"none"', '"high"']]],
    };
    expect(await decide(t, { days: 25 })).toMatchObject({ value: { action: 'meet', urgency: 'high' }, matchedRules: ['r2'] });
  });

  test('ANY: matching rules that agree give their output', async () => {
    const t: TableSpec = { hitPolicy: 'ANY', inputs: [{ expr: 'occasions' }, { expr: 'days' }], outputs: [{ name: 'trigger' }], rules: [[['>= 3', '-'], ['true']], [['-', '>= 10'], ['true']], [['< 3', '< 10'], ['false']]] };
    expect(await decide(t, { occasions: 4, days: 12 })).toEqual({ ok: true, value: true, matchedRules: ['r1', 'r2'], results: [{ trigger: true }] });
    expect(await valueOf(t, { occasions: 1, days: 1 })).toBe(false);
  });

  test('ANY: matching rules that disagree are an evaluation error naming them', async () => {
    expect(await decide(grades('ANY'), { score: 85 })).toEqual({ ok: false, message: 'hit policy ANY needs matching rules to agree, but rules r1, r2 give different outputs' });
  });

  test('COLLECT: every matching output, as a list', async () => {
    expect(await decide(grades('COLLECT'), { score: 95 })).toEqual({ ok: true, value: ['pass', 'merit', 'distinction'], matchedRules: ['r1', 'r2', 'r3'], results: [{ grade: 'pass' }, { grade: 'merit' }, { grade: 'distinction' }] });
    expect(await decide(grades('COLLECT'), { score: 10 })).toEqual({ ok: true, value: [], matchedRules: [], results: [] });
  });

  const points = (aggregation: string): TableSpec => ({
    hitPolicy: 'COLLECT', aggregation,
    inputs: [{ expr: 'occasions' }, { expr: 'days' }],
    outputs: [{ name: 'points' }],
    rules: [[['>= 3', '-'], ['2']], [['-', '>= 10'], ['3']], [['-', '>= 20'], ['5']], [['-', '-'], ['null']]],
  });

  test.each([
    ['SUM', { occasions: 4, days: 25 }, 10], ['SUM', { occasions: 0, days: 12 }, 3],
    ['MIN', { occasions: 4, days: 25 }, 2], ['MAX', { occasions: 4, days: 25 }, 5],
    ['COUNT', { occasions: 4, days: 25 }, 3], ['COUNT', { occasions: 0, days: 0 }, 0],
    ['SUM', { occasions: 0, days: 0 }, null], ['MAX', { occasions: 0, days: 0 }, null],
  ])('COLLECT with %s over %j -> %j (null outputs left out)', async (aggregation, vars, value) => {
    const r = await decide(points(aggregation), vars);
    expect(r).toMatchObject({ ok: true, value, results: value === null ? [] : [{ points: value }] });
  });

  test('COLLECT SUM of outputs that are not numbers is an evaluation error', async () => {
    const t: TableSpec = { hitPolicy: 'COLLECT', aggregation: 'SUM', inputs: [{ expr: 'x' }], outputs: [{ name: 'v' }], rules: [[['-'], ['"a"']], [['-'], ['1']]] };
    expect(await decide(t, { x: 1 })).toEqual({ ok: false, message: 'aggregation SUM needs numbers, but output "v" gave "a", 1' });
  });

  test('RULE ORDER: every matching output in rule order', async () => {
    expect(await decide(grades('RULE ORDER'), { score: 85 })).toMatchObject({ value: ['pass', 'merit'], matchedRules: ['r1', 'r2'] });
  });

  test('OUTPUT ORDER: every matching output in decreasing priority', async () => {
    expect(await decide(grades('OUTPUT ORDER'), { score: 95 })).toMatchObject({ value: ['distinction', 'merit', 'pass'], matchedRules: ['r3', 'r2', 'r1'] });
  });
});

describe('outputs', () => {
  const twoOutputs = (hitPolicy: string): TableSpec => ({
    hitPolicy,
    inputs: [{ expr: 'days' }],
    outputs: [{ name: 'trigger' }, { name: 'stage' }],
    rules: [[['>= 10'], ['true', '"stage-1"']], [['>= 20'], ['true', '"long-term"']], [['< 10'], ['false', '']]],
  });

  test('several outputs give a context per rule; an empty output entry is null', async () => {
    expect(await valueOf(twoOutputs('FIRST'), { days: 12 })).toEqual({ trigger: true, stage: 'stage-1' });
    expect(await valueOf(twoOutputs('FIRST'), { days: 2 })).toEqual({ trigger: false, stage: null });
  });

  test('a multi-hit policy gives a list of contexts', async () => {
    expect(await valueOf(twoOutputs('RULE ORDER'), { days: 25 })).toEqual([{ trigger: true, stage: 'stage-1' }, { trigger: true, stage: 'long-term' }]);
  });

  test('output entries are FEEL expressions over the variables', async () => {
    const t: TableSpec = { inputs: [{ expr: 'days' }], outputs: [{ name: 'left' }], rules: [[['< limit'], ['limit - days']]] };
    expect(await valueOf(t, { days: 4, limit: 10 })).toBe(6);
  });

  test('when no rule matches, the outputs\' defaults are the result', async () => {
    const t: TableSpec = { inputs: [{ expr: 'days' }], outputs: [{ name: 'trigger', default: 'false' }, { name: 'stage', default: '"none"' }], rules: [[['>= 10'], ['true', '"stage-1"']]] };
    expect(await decide(t, { days: 3 })).toEqual({ ok: true, value: { trigger: false, stage: 'none' }, matchedRules: [], results: [{ trigger: false, stage: 'none' }] });
    expect(await valueOf(t, { days: 11 })).toEqual({ trigger: true, stage: 'stage-1' });
  });

  test('an output that cannot be stored as a value is an evaluation error naming the rule and output', async () => {
    const t: TableSpec = { inputs: [{ expr: 'x' }], outputs: [{ name: 'window' }], rules: [[['-'], ['[1..5]']]] };
    expect(await decide(t, { x: 1 })).toEqual({ ok: false, message: 'rule r1, output "window": FEEL evaluation failed: a FEEL range cannot be stored as a value (in [1..5])' });
  });
});

describe('decisions', () => {
  test('a literal expression decision gives its value', async () => {
    const dmn = await compiled([{ id: 'total', literal: 'occasions * 2 + days' }]);
    expect(evaluateDecision(dmn.decisions.total, { occasions: 3, days: 4 }, env)).toEqual({ ok: true, value: 10, matchedRules: [], results: [{ total: 10 }] });
  });

  test('a decision requiring others sees their results by decision id (or variable name) and by output name', async () => {
    const dmn = await compiled([
      { id: 'trigger', requires: ['score', 'band'], table: { inputs: [{ expr: 'score' }, { expr: 'level' }], outputs: [{ name: 'trigger' }], rules: [[['>= 10', '"high"'], ['true']], [['-', '-'], ['false']]], hitPolicy: 'FIRST' } },
      { id: 'score', variable: 'score', literal: 'occasions * 2 + days' },
      { id: 'band', requires: ['score'], table: { inputs: [{ expr: 'score' }], outputs: [{ name: 'level' }], rules: [[['>= 10'], ['"high"']], [['< 10'], ['"low"']]] } },
    ]);
    expect(dmn.decisions.trigger.requires.map((d) => d.id)).toEqual(['score', 'band']);
    expect(evaluateDecision(dmn.decisions.trigger, { occasions: 3, days: 5 }, env)).toMatchObject({ ok: true, value: true, matchedRules: ['trigger_r1'] });
    expect(evaluateDecision(dmn.decisions.trigger, { occasions: 1, days: 1 }, env)).toMatchObject({ ok: true, value: false });
    // The required decision's value is also there under its id.
    const byId = await compiled([
      { id: 'outer', requires: ['inner'], literal: 'inner + 1' },
      { id: 'inner', table: { inputs: [{ expr: 'x' }], outputs: [{ name: 'v' }], rules: [[['-'], ['x * 10']]] } },
    ]);
    expect(evaluateDecision(byId.decisions.outer, { x: 2 }, env)).toMatchObject({ ok: true, value: 21 });
  });

  test('a failing required decision fails the decision that requires it, naming it', async () => {
    const dmn = await compiled([
      { id: 'outer', requires: ['inner'], literal: 'inner' },
      { id: 'inner', table: grades('UNIQUE') },
    ]);
    expect(evaluateDecision(dmn.decisions.outer, { score: 99 }, env)).toEqual({ ok: false, message: 'required decision inner: hit policy UNIQUE allows one matching rule, but rules inner_r1, inner_r2, inner_r3 all match' });
  });

  test('the compiled form is frozen all the way down, and evaluations do not depend on each other', async () => {
    const dmn = await compiled([{ id: 'd', table: grades('FIRST') }]);
    const table = dmn.decisions.d.logic;
    if (table.kind !== 'table') throw new Error('expected a table');
    for (const part of [dmn, dmn.decisions, dmn.decisions.d, table, table.rules, table.rules[0], table.rules[0].tests[0], table.inputs[0].expr]) expect(Object.isFrozen(part)).toBe(true);
    const values = [10, 60, 95, 10].map((score) => evaluateDecision(dmn.decisions.d, { score }, env));
    expect(values.map((v) => v.ok && v.value)).toEqual([null, 'pass', 'pass', null]);
  });
});
