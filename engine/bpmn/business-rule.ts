// A business-rule task that calls a DMN decision: the host lends the decision (the runtime the
// latest deployed version, the simulator what a scenario deployed); it is evaluated now, over the
// variables the task sees, and the task completes with the result in its result variable.
// The decision is named by a fixed id or by an expression evaluated in the task's scope (an LA's
// own table: `decisionId="=triggerDecision"`). A missing decision, an id that is not text, or a
// failed evaluation is an incident; resolving it evaluates again.
import type { Node } from '../model/graph.js';
import { evaluateDecision, mapDecisionResult } from '../dmn/index.js';
import { complete } from './flow.js';
import { IncidentSignal, type Run } from './run.js';

export function decide(r: Run, eid: string, n: Node, call: NonNullable<Node['decision']>): void {
  const id = decisionId(r, eid, n, call.id);
  const decision = r.ctx.host?.decision?.(id);
  if (!decision) throw new IncidentSignal('decision-not-found', `Decision "${id}" called by ${n.id} is not deployed`, eid);
  const outcome = evaluateDecision(decision, r.visible(eid), { now: r.ctx.now, calendar: (cal) => r.ctx.host?.calendar?.(cal) });
  const mapped = outcome.ok ? mapDecisionResult(outcome, call.map) : outcome;
  if (!mapped.ok) throw new IncidentSignal('decision-failed', `Decision "${id}" called by ${n.id} failed: ${mapped.message}`, eid);
  r.later(() => complete(r, eid, call.resultVariable ? { [call.resultVariable]: mapped.value } : undefined));
}

function decisionId(r: Run, eid: string, n: Node, id: NonNullable<Node['decision']>['id']): string {
  if (typeof id === 'string') return id;
  const value = r.evaluate(id, eid);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new IncidentSignal('decision-id', `The decision id of ${n.id} (${id.source}) is ${JSON.stringify(value ?? null)}, not the id of a decision`, eid);
  }
  return value.trim();
}
