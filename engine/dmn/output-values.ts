// An output's values list (`"high","medium","low"`) ranks its values for the PRIORITY and
// OUTPUT ORDER hit policies: earlier is higher. Each listed test is compiled on its own, so a
// value's rank is the index of the first test it passes.
import { parseUnaryTests } from 'feelin';
import { compileUnaryTests, type EvalEnv } from '../expressions/index.js';
import type { UnaryTest } from './model.js';

/** The listed tests, or a message when one does not compile. */
export function compileOutputValues(text: string): { ok: true; tests: UnaryTest[] } | { ok: false; message: string } {
  const whole = compileUnaryTests(text);
  if (!whole.ok) return whole;
  const tests: UnaryTest[] = [];
  for (const source of listedTests(text)) {
    const c = compileUnaryTests(source);
    if (!c.ok) return c;
    tests.push({ source, test: c.test });
  }
  return { ok: true, tests };
}

/** The top-level tests of a list, split where the FEEL grammar splits them (never inside a string or a range). */
function listedTests(text: string): string[] {
  const list = parseUnaryTests(text, {}, undefined).topNode.getChild('PositiveUnaryTests');
  if (!list) return [text.trim()];
  return list.getChildren('PositiveUnaryTest').map((n) => text.slice(n.from, n.to));
}

/** 0 for the first listed value; values not listed rank after every listed one. */
export function rank(tests: readonly UnaryTest[], value: unknown, env: EvalEnv): number {
  const i = tests.findIndex((t) => t.test(value, {}, env));
  return i === -1 ? tests.length : i;
}
