// Which of the matching rules make a decision table's result, and in what shape (DMN 1.3
// §8.2.11): single-hit policies give one rule's result or null, multi-hit policies a list,
// COLLECT with an aggregation one number (or value, for MIN and MAX).
import type { EvalEnv } from '../expressions/index.js';
import type { DecisionOutcome, DecisionTable, RuleResult } from './model.js';
import { rank } from './output-values.js';

/** A rule whose input entries all held, with its outputs; no rule id for the outputs' defaults. */
export interface Hit {
  rule?: string;
  result: RuleResult;
}

type Success = Extract<DecisionOutcome, { ok: true }>;

/** A hit policy that the matching rules violate. */
export class HitPolicyViolation extends Error {}

export function applyHitPolicy(t: DecisionTable, hits: Hit[], env: EvalEnv): Success {
  const valueOf = (r: RuleResult): unknown => (t.outputs.length === 1 ? r[t.outputs[0].name] : r);
  const ids = (hs: Hit[]) => hs.flatMap((h) => (h.rule ? [h.rule] : []));
  const single = (h: Hit | undefined): Success => (h ? { ok: true, value: valueOf(h.result), matchedRules: ids([h]), results: [h.result] } : { ok: true, value: null, matchedRules: [], results: [] });
  const list = (hs: Hit[]): Success => ({ ok: true, value: hs.map((h) => valueOf(h.result)), matchedRules: ids(hs), results: hs.map((h) => h.result) });
  switch (t.hitPolicy) {
    case 'UNIQUE':
      if (hits.length > 1) throw new HitPolicyViolation(`hit policy UNIQUE allows one matching rule, but rules ${ids(hits).join(', ')} all match`);
      return single(hits[0]);
    case 'FIRST':
      return single(hits[0]);
    case 'PRIORITY':
      return single(byPriority(t, hits, env)[0]);
    case 'ANY': {
      const differ = hits.filter((h) => JSON.stringify(h.result) !== JSON.stringify(hits[0].result));
      if (differ.length) throw new HitPolicyViolation(`hit policy ANY needs matching rules to agree, but rules ${ids([hits[0], ...differ]).join(', ')} give different outputs`);
      return hits.length ? { ...single(hits[0]), matchedRules: ids(hits) } : single(undefined);
    }
    case 'COLLECT':
      return t.aggregation ? aggregate(t, hits, ids(hits)) : list(hits);
    case 'RULE ORDER':
      return list(hits);
    case 'OUTPUT ORDER':
      return list(byPriority(t, hits, env));
  }
}

/** Hits in decreasing output priority (first output first, then the next), keeping rule order among equals. */
function byPriority(t: DecisionTable, hits: Hit[], env: EvalEnv): Hit[] {
  const ranked = t.outputs.filter((o) => o.priorities);
  const keys = new Map(hits.map((h) => [h, ranked.map((o) => rank(o.priorities!, h.result[o.name], env))]));
  return [...hits].sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}

/** COLLECT with SUM, MIN, MAX or COUNT over the one output; null outputs are left out, and SUM, MIN and MAX of nothing are null. */
function aggregate(t: DecisionTable, hits: Hit[], matchedRules: string[]): Success {
  const name = t.outputs[0].name;
  const values = hits.map((h) => h.result[name]).filter((v) => v !== null && v !== undefined);
  let value: unknown = null;
  if (t.aggregation === 'COUNT') value = values.length;
  else if (values.length > 0) {
    const kinds = new Set(values.map((v) => typeof v));
    const kind = kinds.size === 1 ? [...kinds][0] : 'mixed';
    if (t.aggregation === 'SUM') {
      if (kind !== 'number') throw new HitPolicyViolation(`aggregation SUM needs numbers, but output "${name}" gave ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      value = (values as number[]).reduce((a, b) => a + b, 0);
    } else {
      if (kind !== 'number' && kind !== 'string') throw new HitPolicyViolation(`aggregation ${t.aggregation} needs numbers or texts of one kind, but output "${name}" gave ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      const sorted = [...(values as Array<number | string>)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      value = t.aggregation === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
    }
  }
  return { ok: true, value, matchedRules, results: value === null ? [] : [{ [name]: value }] };
}
