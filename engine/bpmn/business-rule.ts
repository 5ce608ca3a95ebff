// A business-rule task that calls a DMN decision: the host lends the decision (the runtime the
// latest deployed version, the simulator what a scenario deployed); it is evaluated now, over the
// variables the task sees, and the task completes with the result in its result variable.
// A missing decision or a failed evaluation is an incident; resolving it evaluates again.
import type { Node } from '../model/graph.js';
import { evaluateDecision, mapDecisionResult } from '../dmn/index.js';
import { complete } from './flow.js';
import { IncidentSignal, type Run } from './run.js';

export function decide(r: Run, eid: string, n: Node, call: NonNullable<Node['decision']>): void {
  const decision = r.ctx.host?.decision?.(call.id);
  if (!decision) throw new IncidentSignal('decision-not-found', `Decision "${call.id}" called by ${n.id} is not deployed`, eid);
  const outcome = evaluateDecision(decision, r.visible(eid), { now: r.ctx.now, calendar: (id) => r.ctx.host?.calendar?.(id) });
  const mapped = outcome.ok ? mapDecisionResult(outcome, call.map) : outcome;
  if (!mapped.ok) throw new IncidentSignal('decision-failed', `Decision "${call.id}" called by ${n.id} failed: ${mapped.message}`, eid);
  r.later(() => complete(r, eid, call.resultVariable ? { [call.resultVariable]: mapped.value } : undefined));
}
