// The DMN decisions a BPMN file's business-rule tasks call, by id: what a host must be able to
// lend the engine (EngineHost.decision) when a step may reach those tasks.
import type { CompiledBpmn } from './graph.js';

export function calledDecisions(compiled: CompiledBpmn): string[] {
  const ids = new Set<string>();
  for (const g of Object.values(compiled.processes)) {
    for (const n of Object.values(g.nodes)) if (n.decision) ids.add(n.decision.id);
  }
  return [...ids].sort();
}
