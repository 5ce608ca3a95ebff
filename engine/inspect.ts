// Read-only views of an instance's state, for the simulator, the runtime's projections and pages.
import type { ElementInstance, InstanceState } from './types.js';

const WAITS = new Set(['userTask', 'manualTask', 'job', 'message', 'signal', 'timer', 'conditional', 'eventGateway']);

/** Element instances that hold a wait (not enclosing scopes, loop bodies or call activities). */
export function openWaits(state: InstanceState): ElementInstance[] {
  const stuck = new Set(Object.values(state.incidents).map((i) => i.eid).filter(Boolean));
  return Object.values(state.elements).filter((e) => (e.wait ? WAITS.has(e.wait.kind) : stuck.has(e.id)));
}

/** The element ids of openWaits, each once (a multi-instance activity is listed once). */
export function activeElements(state: InstanceState): string[] {
  return [...new Set(openWaits(state).map((e) => e.el))].sort();
}
