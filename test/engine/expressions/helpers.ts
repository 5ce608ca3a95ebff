// Shared by the expression tests: compile-or-fail and evaluate-or-report helpers.
import { compileExpression, type EvalEnv, type Expression, ExpressionError, type ExpressionLanguage } from '../../../engine/expressions/index.js';

export const env: EvalEnv = { now: '2026-11-02T09:00:00.000Z' };

export function compile(text: string, defaultLanguage: ExpressionLanguage = 'juel', language?: string): Expression {
  const c = compileExpression(text, { defaultLanguage, language });
  if (!c.ok) throw new Error(`expected ${JSON.stringify(text)} to compile: ${c.message}`);
  return c.expr;
}

export function compileError(text: string, defaultLanguage: ExpressionLanguage = 'juel', language?: string): string {
  const c = compileExpression(text, { defaultLanguage, language });
  if (c.ok) throw new Error(`expected ${JSON.stringify(text)} not to compile`);
  return c.message;
}

/** The ExpressionError an evaluation throws (fails the test if it returns). */
export function evalError(expr: Expression, vars: Record<string, unknown>): ExpressionError {
  try {
    expr.evaluate(vars, env);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(expr.source)} to fail`);
}
