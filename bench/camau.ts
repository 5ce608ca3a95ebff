// Drives Camau's pure core for the benchmark workloads: compile once, then one instance = a
// `start` command followed by one `complete` command per wait, each a full step().
import { compileBpmn, openWaits, step, type BpmnDefinition, type InstanceState, type StepContext } from '../engine/index.js';
import { model, type WorkloadName } from './models.js';

const CTX: StepContext = { now: '2026-11-02T09:00:00.000Z' };

export async function camauDefinition(name: WorkloadName): Promise<BpmnDefinition> {
  const res = await compileBpmn(model(name, 'camau'));
  if (!res.ok) throw new Error(`Camau rejected the model of workload ${name}: ${res.failure.map((d) => `${d.code} ${d.elementId ?? ''} ${d.message}`).join('; ')}`);
  const compiled = res.value;
  const processId = Object.keys(compiled.processes)[0];
  return { kind: 'bpmn', compiled, ref: { kind: 'bpmn', key: processId, version: 1, hash: compiled.hash } };
}

function must(res: ReturnType<typeof step>, what: string): InstanceState {
  if (!res.ok) throw new Error(`${what}: ${res.failure.code} ${res.failure.message}`);
  return res.value.state;
}

/** Starts an instance of (c) and returns its state, waiting at the user task. */
export function startWaiting(def: BpmnDefinition): InstanceState {
  return must(step(def, null, { type: 'start', variables: {} }, CTX), 'start');
}

/** Runs one instance of a workload to its end; returns the end state (checked by the caller once). */
export function runCamau(name: WorkloadName, def: BpmnDefinition, i: number): InstanceState {
  let s = must(step(def, null, { type: 'start', variables: {} }, CTX), 'start');
  switch (name) {
    case 'a': {
      // Each job in turn: the next one opens only when the previous completes.
      for (let w = openWaits(s); w.length > 0; w = openWaits(s)) {
        s = must(step(def, s, { type: 'complete', eid: w[0].id, variables: {} }, CTX), 'complete job');
      }
      return s;
    }
    case 'b': {
      // All eight jobs are open after start; complete them in order.
      for (const w of openWaits(s)) s = must(step(def, s, { type: 'complete', eid: w.id, variables: {} }, CTX), 'complete job');
      return s;
    }
    case 'c': {
      const [w] = openWaits(s);
      return must(step(def, s, { type: 'complete', eid: w.id, variables: { approved: i % 2 === 0 } }, CTX), 'complete task');
    }
    case 'd': {
      const restored = JSON.parse(JSON.stringify(s)) as InstanceState;
      const [w] = openWaits(restored);
      return must(step(def, restored, { type: 'complete', eid: w.id, variables: { approved: i % 2 === 0 } }, CTX), 'complete task');
    }
  }
}

/** Checks that an instance of a workload ran as the model says (used once before timing). */
export function checkCamau(name: WorkloadName, s: InstanceState, i: number): void {
  if (s.status !== 'completed') throw new Error(`Camau workload ${name}: instance ended ${s.status}`);
  const expect: Record<string, number> =
    name === 'a' ? { s10: 1, end: 1 } : name === 'b' ? { s8: 1, join: 1, end: 1 } : i % 2 === 0 ? { approved: 1 } : { rejected: 1 };
  for (const [el, n] of Object.entries(expect)) {
    if (s.done[el] !== n) throw new Error(`Camau workload ${name}: ${el} completed ${s.done[el] ?? 0} times, expected ${n}`);
  }
  if ((name === 'c' || name === 'd') && s.done[i % 2 === 0 ? 'rejected' : 'approved']) throw new Error(`Camau workload ${name}: took the wrong branch`);
}
