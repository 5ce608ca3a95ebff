// What a business-rule task stores from a decision's result. Zeebe stores the DMN value; Camunda 7
// shapes the rule results as `camunda:mapDecisionResult` says (its default is resultList).
import type { DecisionOutcome, DecisionResultMap } from './model.js';

type Success = Extract<DecisionOutcome, { ok: true }>;

export function mapDecisionResult(outcome: Success, map: DecisionResultMap): { ok: true; value: unknown } | { ok: false; message: string } {
  const results = outcome.results;
  const fail = (message: string) => ({ ok: false as const, message: `mapDecisionResult ${map}: ${message}` });
  const single = (r: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; message: string } => {
    const keys = Object.keys(r);
    return keys.length === 1 ? { ok: true, value: r[keys[0]] } : fail(`a rule result has ${keys.length} outputs (${keys.join(', ')}), not one`);
  };
  switch (map) {
    case 'value':
      return { ok: true, value: outcome.value };
    case 'resultList':
      return { ok: true, value: results };
    case 'singleResult':
      if (results.length > 1) return fail(`expected at most one rule result, got ${results.length} (rules ${outcome.matchedRules.join(', ')})`);
      return { ok: true, value: results[0] ?? null };
    case 'singleEntry':
      if (results.length > 1) return fail(`expected at most one rule result, got ${results.length} (rules ${outcome.matchedRules.join(', ')})`);
      return results.length === 0 ? { ok: true, value: null } : single(results[0]);
    case 'collectEntries': {
      const values: unknown[] = [];
      for (const r of results) {
        const v = single(r);
        if (!v.ok) return v;
        values.push(v.value);
      }
      return { ok: true, value: values };
    }
  }
}
