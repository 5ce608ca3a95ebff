// FEEL through feelin. feelin's parser never throws (lezer recovers from errors), so
// compilation walks the tree for error nodes to reject bad text at deploy time.
// now() and today() are shadowed by functions reading env.now: feelin's own builtins read
// the system clock, and a context entry takes precedence over a builtin of the same name.
// A consequence: instance variables named `now` or `today` are hidden from FEEL.
import { evaluate, parseDate, parseDateTime, parseExpression, parseUnaryTests, unaryTest } from 'feelin';
import { calendarFunctions } from '../time/feel-functions.js';
import { type Compiled, type EvalEnv, ExpressionError } from './expression.js';
import { toJson } from './json.js';
import { localParts } from '../time/london.js';
import { fastFeel } from './feel-fast.js';

type Tree = ReturnType<typeof parseExpression>;

/** Compiles FEEL `body`; `offset` is where body starts in `source` (after a leading '='), for positions. */
export function compileFeel(source: string, body: string, offset = 0): Compiled {
  const at = firstError(parseExpression(body, {}, undefined));
  if (at !== null) return { ok: false, message: `FEEL syntax error at ${offset + at + 1}: ${source.trim()}` };
  const fast = fastFeel(body);
  return {
    ok: true,
    expr: {
      language: 'feel',
      source,
      evaluate: (vars, env) => {
        const quick = fast?.(vars);
        if (quick) return quick.value;
        return run(body, () => toJson(evaluate(body, feelContext(vars, env, body)).value));
      },
    },
  };
}

export type CompiledUnaryTests =
  | { ok: true; test(inputValue: unknown, vars: Record<string, unknown>, env: EvalEnv): boolean }
  | { ok: false; message: string };

/** DMN input entries. An empty entry matches anything, as `-` does. */
export function compileUnaryTests(text: string): CompiledUnaryTests {
  if (text.trim() === '') return { ok: true, test: () => true };
  const at = firstError(parseUnaryTests(text, {}, undefined));
  if (at !== null) return { ok: false, message: `FEEL unary tests syntax error at ${at + 1}: ${text}` };
  return {
    ok: true,
    // null (input not comparable with the test) counts as no match.
    test: (inputValue, vars, env) =>
      run(text, () => unaryTest(text, { ...feelContext(vars, env), '?': inputValue ?? null }).value) === true,
  };
}

/** 0-based offset of the first error node, or null when the text parsed cleanly. */
function firstError(tree: Tree): number | null {
  let at: number | null = null;
  tree.iterate({
    enter(node) {
      if (at !== null) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at;
}

/**
 * The evaluation context: only the variables whose names occur in the expression's text
 * (feelin copies the whole context on every evaluation, so a case with many variables would
 * pay for all of them), and now()/today() parsed only if the expression calls them.
 */
function feelContext(vars: Record<string, unknown>, env: EvalEnv, text?: string): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  for (const k in vars) if (text === undefined || text.includes(k)) ctx[k] = vars[k];
  ctx.now = () => {
    const now = parseDateTime(env.now);
    if (now === null) throw new ExpressionError('expression-eval', `evaluation instant is not an ISO date-time: ${env.now}`);
    return now;
  };
  // Today is the date in Wales (Europe/London), not the UTC date: just after midnight in summer
  // the two differ.
  ctx.today = () => parseDate(localParts(env.now).date);
  Object.assign(ctx, calendarFunctions(env.calendar, text));
  return ctx;
}

// Nulls from FEEL's own error handling (warnings) are values; only thrown errors fail.
function run<T>(text: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ExpressionError('expression-eval', `FEEL evaluation failed: ${reason} (in ${text.trim()})`);
  }
}
