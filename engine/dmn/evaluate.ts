// Evaluating a compiled decision over variables, purely: input expressions over the variables,
// input entries as FEEL unary tests on the input values, output entries of the matching rules,
// then the hit policy. Decisions it requires are evaluated first (once each) and their results
// bound as variables: under the required decision's variable name (its id when it has none), as
// DMN and Camunda 8 do, and — as Camunda 7 does — each of its outputs under the output's name.
import { ExpressionError, type EvalEnv } from '../expressions/index.js';
import type { Variables } from '../types.js';
import { coerceInput } from './coerce.js';
import { applyHitPolicy, HitPolicyViolation, type Hit } from './hit-policy.js';
import type { CompiledDecision, DecisionOutcome, DecisionTable, RuleResult } from './model.js';

type Success = Extract<DecisionOutcome, { ok: true }>;

/** A failure that names where it happened (an input, a rule, an output, a required decision). */
class EvaluationFailure extends Error {}

export function evaluateDecision(decision: CompiledDecision, variables: Variables, env: EvalEnv): DecisionOutcome {
  try {
    return evaluate(decision, variables, env, new Map());
  } catch (e) {
    if (e instanceof EvaluationFailure || e instanceof HitPolicyViolation || e instanceof ExpressionError) return { ok: false, message: e.message };
    throw e;
  }
}

function evaluate(d: CompiledDecision, variables: Variables, env: EvalEnv, done: Map<string, Success>): Success {
  const vars = d.requires.length ? withRequired(d, variables, env, done) : variables;
  if (d.logic.kind === 'literal') {
    const value = d.logic.expr.evaluate(vars, env);
    return { ok: true, value, matchedRules: [], results: [{ [d.resultName]: value }] };
  }
  return evaluateTable(d.logic, vars, env);
}

function withRequired(d: CompiledDecision, variables: Variables, env: EvalEnv, done: Map<string, Success>): Variables {
  const vars: Variables = { ...variables };
  for (const req of d.requires) {
    let r = done.get(req.id);
    if (!r) {
      try {
        r = evaluate(req, variables, env, done);
      } catch (e) {
        if (e instanceof EvaluationFailure || e instanceof HitPolicyViolation || e instanceof ExpressionError) throw new EvaluationFailure(`required decision ${req.id}: ${e.message}`);
        throw e;
      }
      done.set(req.id, r);
    }
    const results = r.results;
    if (req.logic.kind === 'table' && results.length > 0) {
      for (const name of Object.keys(results[0])) vars[name] = results.length === 1 ? results[0][name] : results.map((x) => x[name] ?? null);
    }
    vars[req.resultName] = r.value;
  }
  return vars;
}

function evaluateTable(t: DecisionTable, vars: Variables, env: EvalEnv): Success {
  const values = t.inputs.map((input) => {
    const what = `input ${input.label ? `"${input.label}"` : input.id}`;
    const raw = guard(what, () => input.expr.evaluate(vars, env));
    const c = coerceInput(raw, input.typeRef);
    if (!c.ok) throw new EvaluationFailure(`${what}: ${c.message} (typeRef ${input.typeRef})`);
    return c.value;
  });
  const testVars = t.inputs.map((input, i) => (input.inputVariable ? { ...vars, [input.inputVariable]: values[i] } : vars));
  const hits: Hit[] = [];
  for (const rule of t.rules) {
    const matches = rule.tests.every((test, i) => guard(`rule ${rule.id}, input entry "${test.source}"`, () => test.test(values[i], testVars[i], env)));
    if (!matches) continue;
    const result: RuleResult = {};
    t.outputs.forEach((o, i) => {
      const expr = rule.outputs[i];
      result[o.name] = expr ? guard(`rule ${rule.id}, output "${o.name}"`, () => expr.evaluate(vars, env)) : null;
    });
    hits.push({ rule: rule.id, result });
  }
  if (hits.length === 0 && t.outputs.some((o) => o.default)) {
    const result: RuleResult = {};
    for (const o of t.outputs) result[o.name] = o.default ? guard(`the default of output "${o.name}"`, () => o.default!.evaluate(vars, env)) : null;
    hits.push({ result });
  }
  return applyHitPolicy(t, hits, env);
}

/** Names the part of the table whose expression failed. */
function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExpressionError) throw new EvaluationFailure(`${what}: ${e.message}`);
    throw e;
  }
}
