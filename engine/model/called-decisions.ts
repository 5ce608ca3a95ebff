// The DMN decisions a BPMN file's business-rule tasks call: what a host must be able to lend the
// engine (EngineHost.decision) when a step may reach those tasks. A task that names its decision
// by an expression may call any deployed decision.
import type { CompiledBpmn, Node } from './graph.js';

function decisionCalls(compiled: CompiledBpmn): NonNullable<Node['decision']>[] {
  return Object.values(compiled.processes).flatMap((g) => Object.values(g.nodes).flatMap((n) => (n.decision ? [n.decision] : [])));
}

/** The decisions called by a fixed id, sorted. */
export function calledDecisions(compiled: CompiledBpmn): string[] {
  const ids = new Set<string>();
  for (const call of decisionCalls(compiled)) if (typeof call.id === 'string') ids.add(call.id);
  return [...ids].sort();
}

/** Whether a business-rule task names its decision by an expression (it may call any deployed decision). */
export function callsDecisionsByExpression(compiled: CompiledBpmn): boolean {
  return decisionCalls(compiled).some((call) => typeof call.id !== 'string');
}
