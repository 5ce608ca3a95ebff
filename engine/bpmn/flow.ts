// Token flow: entering an element, leaving it along its outgoing sequence flows, joins,
// termination, and the completion of scopes (sub-processes and the process itself).
import type { ElementInstance, Variables } from '../types.js';
import type { Node } from '../model/graph.js';
import { isActivity, isScope } from '../model/compile.js';
import { IncidentSignal, joinKey, Run, scopeKey } from './run.js';
import { execute } from './behaviours.js';
import { openBoundaries } from './catching.js';
import { enterLoop, innerCompleted, isLoopInner } from './loops.js';
import { compensationHandlerDone, registerCompensable } from './compensation.js';

/** A token arrives at `el` in `scope` along `flow`: joins wait, everything else is activated. */
export function arrive(r: Run, el: string, scope: string | null, flow?: string): void {
  const n = r.node(el);
  const joining = (n.type === 'parallelGateway' || n.type === 'inclusiveGateway' || n.type === 'complexGateway') && n.incoming.length > 1;
  if (joining && flow) {
    const key = joinKey(scope, el);
    r.emit({ type: 'join.arrived', key, flow });
    if (n.type === 'parallelGateway') tryParallelJoin(r, n, scope);
    else r.pendingJoins.add(key);
    return;
  }
  if (n.startQuantity > 1 && flow) {
    // An activity with startQuantity N starts once N tokens have arrived (BPMN 2.0 §13.3.2).
    const key = joinKey(scope, el);
    r.emit({ type: 'join.arrived', key, flow });
    const arrived = Object.values(r.s.joins[key] ?? {}).reduce((a, b) => a + b, 0);
    if (arrived < n.startQuantity) return;
    r.emit({ type: 'join.fired', key, consumed: { ...r.s.joins[key] } });
  }
  enter(r, n, scope, flow);
}

function tryParallelJoin(r: Run, n: Node, scope: string | null): void {
  const key = joinKey(scope, n.id);
  const arrived = r.s.joins[key] ?? {};
  if (!n.incoming.every((f) => (arrived[f] ?? 0) > 0)) return;
  r.emit({ type: 'join.fired', key, consumed: Object.fromEntries(n.incoming.map((f) => [f, 1])) });
  enter(r, n, scope);
}

/** Activates an element instance and runs its behaviour. Returns the new element instance id. */
export function enter(r: Run, n: Node, scope: string | null, flow?: string, vars?: Variables, data?: Record<string, unknown>): string {
  const eid = r.alloc('e');
  r.emit({ type: 'element.activated', eid, el: n.id, parent: scope, ...(flow ? { flow } : {}) });
  if (data) r.emit({ type: 'element.data', eid, data });
  if (vars && Object.keys(vars).length > 0) r.setLocal(eid, vars);
  try {
    // A loop's body holds the boundary events; its iterations apply the input mappings.
    if (!n.loop && n.inputs?.length) applyInputs(r, eid, n);
    if (isActivity(n.type) && openBoundaries(r, eid, n)) return eid;
    if (n.loop) enterLoop(r, eid, n);
    else execute(r, eid, n);
  } catch (e) {
    if (e instanceof IncidentSignal) {
      r.raiseIncident(e.code, e.message, n.id, eid, { kind: 'element', eid });
      return eid;
    }
    throw e;
  }
  return eid;
}

/** Runs a loop body's inner instance (no boundary events of its own: they belong to the body). */
export function enterInner(r: Run, n: Node, body: string, vars: Variables): string {
  const eid = r.alloc('e');
  r.emit({ type: 'element.activated', eid, el: n.id, parent: body });
  r.setLocal(eid, vars);
  try {
    if (n.inputs?.length) applyInputs(r, eid, n);
    execute(r, eid, n);
  } catch (e) {
    if (e instanceof IncidentSignal) r.raiseIncident(e.code, e.message, n.id, eid, { kind: 'element', eid });
    else throw e;
  }
  return eid;
}

function applyInputs(r: Run, eid: string, n: Node): void {
  const local: Variables = {};
  for (const m of n.inputs ?? []) {
    local[m.target] = m.source ? r.evaluate(m.source, eid, local) : (m.literal ?? null);
  }
  r.setLocal(eid, local);
}

/** Output mappings, or plain propagation of what the element produced. */
export function applyOutputs(r: Run, eid: string, n: Node, produced: Variables | undefined): void {
  if (n.outputs?.length) {
    const out: Variables = {};
    for (const m of n.outputs) out[m.target] = m.source ? r.evaluate(m.source, eid, produced) : (m.literal ?? null);
    r.propagate(r.ei(eid).parent, out);
    return;
  }
  if (produced && Object.keys(produced).length > 0) {
    // A variable the element holds locally (an input mapping) stays local; the rest propagate outward.
    const ei = r.ei(eid);
    const local: Variables = {};
    const outward: Variables = {};
    for (const [k, v] of Object.entries(produced)) (ei.vars && k in ei.vars ? local : outward)[k] = v;
    if (Object.keys(local).length) r.setLocal(eid, local);
    if (Object.keys(outward).length) r.propagate(ei.parent, outward);
  }
}

/** An element finished its work normally: map outputs, close what it holds, and move on. */
export function complete(r: Run, eid: string, produced?: Variables): void {
  const ei = r.ei(eid);
  if (!ei) return;
  const n = r.node(ei.el);
  try {
    if (!(n.loop && !isLoopInner(r, ei))) applyOutputs(r, eid, n, produced);
  } catch (e) {
    if (e instanceof IncidentSignal) {
      r.raiseIncident(e.code, e.message, n.id, eid, { kind: 'element', eid });
      return;
    }
    throw e;
  }
  closeOwned(r, eid);
  r.emit({ type: 'element.completed', eid, el: ei.el });
  // Every user task opened a task (taskCreated); a multi-instance body itself did not.
  if (n.type === 'userTask' && !ei.loop) r.effect({ type: 'taskClosed', eid, el: ei.el, outcome: 'completed' });
  if (isActivity(n.type)) registerCompensable(r, ei, n);
  if (ei.data?.compensates) {
    compensationHandlerDone(r, String(ei.data.compensates));
    r.dirtyScopes.add(scopeKey(ei.parent));
    return;
  }
  if (ei.parent && isLoopInner(r, ei)) {
    innerCompleted(r, ei.parent, ei, produced);
    return;
  }
  leave(r, n, ei.parent);
}

/** Takes the outgoing flows of a completed element (all whose condition holds; else the default). */
export function leave(r: Run, n: Node, scope: string | null): void {
  // Unconditional flows are always taken; the default flow only when no conditional flow holds (BPMN 2.0 §10.4.1).
  const flows = n.outgoing.map((id) => r.g.flows[id]).filter((f) => f.id !== n.defaultFlow);
  const taken = flows.filter((f) => !f.condition);
  const conditional = flows.filter((f) => f.condition && r.evaluate(f.condition, scope) === true);
  taken.push(...conditional);
  if (conditional.length === 0 && n.defaultFlow) taken.push(r.g.flows[n.defaultFlow]);
  for (let q = 0; q < Math.max(1, n.completionQuantity); q++) {
    for (const f of taken) {
      r.emit({ type: 'flow.taken', flow: f.id, scope });
      r.later(() => arrive(r, f.target, scope, f.id));
    }
  }
  if (taken.length === 0) r.dirtyScopes.add(scopeKey(scope));
}

/** Closes the timers and subscriptions an element instance holds (its boundary events, its event sub-process starts). */
export function closeOwned(r: Run, eid: string | null): void {
  for (const t of Object.values(r.s.timers)) {
    if (t.owner === eid) {
      r.emit({ type: 'timer.cancelled', timerId: t.timerId });
      r.effect({ type: 'cancelTimer', timerId: t.timerId });
    }
  }
  for (const sub of Object.values(r.s.subs)) if (sub.owner === eid) r.emit({ type: 'subscription.closed', id: sub.id });
}

/** Ends an element instance and everything inside it without completing it. */
export function terminate(r: Run, eid: string): void {
  const ei = r.ei(eid);
  if (!ei) return;
  for (const child of r.children(eid)) terminate(r, child.id);
  for (const key of Object.keys(r.s.joins)) {
    if (key.startsWith(`${eid}|`)) r.emit({ type: 'join.fired', key, consumed: { ...r.s.joins[key] } });
  }
  closeOwned(r, eid);
  const w = ei.wait;
  if (w?.kind === 'job') r.effect({ type: 'cancelJob', jobId: w.jobId, eid });
  if (w?.kind === 'userTask') r.effect({ type: 'taskClosed', eid, el: ei.el, outcome: 'cancelled' });
  if (w?.kind === 'call') r.effect({ type: 'cancelCall', callId: w.callId, eid });
  for (const inc of Object.values(r.s.incidents)) if (inc.eid === eid) r.emit({ type: 'incident.resolved', id: inc.id });
  r.emit({ type: 'element.terminated', eid, el: ei.el });
}

/** Terminates every child of a scope (and its pending joins), e.g. for an interrupting event sub-process. */
export function terminateChildren(r: Run, scope: string | null, except?: string): void {
  for (const child of r.children(scope)) if (child.id !== except) terminate(r, child.id);
  const prefix = `${scope ?? ''}|`;
  for (const key of Object.keys(r.s.joins)) if (key.startsWith(prefix)) r.emit({ type: 'join.fired', key, consumed: { ...r.s.joins[key] } });
}

/** A scope with no children and no waiting join tokens is done. */
export function checkScope(r: Run, key: string): void {
  if (r.s.status !== 'active') return;
  const scope = key === '' ? null : key;
  if (scope !== null && !r.ei(scope)) return;
  if (r.children(scope).length > 0) return;
  const prefix = `${key}|`;
  if (Object.keys(r.s.joins).some((k) => k.startsWith(prefix))) return;
  if (scope === null) {
    closeOwned(r, null);
    r.emit({ type: 'instance.completed' });
    if (r.s.calledBy) r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'completed', variables: { ...r.s.vars } });
    return;
  }
  const ei = r.ei(scope);
  const n = r.node(ei.el);
  if (ei.loop) return; // loop bodies complete through innerCompleted
  if (!isScope(n.type)) return;
  if (n.adHoc && nextAdHoc(r, ei, n)) return;
  complete(r, scope);
}

/** A sequential ad-hoc sub-process runs its activities one after another until done or its condition holds. */
function nextAdHoc(r: Run, ei: ElementInstance, n: Node): boolean {
  if (n.adHoc!.completionCondition && r.evaluate(n.adHoc!.completionCondition, ei.id) === true) return false;
  const queue = (ei.data?.adHocQueue as string[] | undefined) ?? [];
  if (queue.length === 0) return false;
  r.emit({ type: 'element.data', eid: ei.id, data: { adHocQueue: queue.slice(1) } });
  enter(r, r.node(queue[0]), ei.id);
  return true;
}

export function failInstance(r: Run, code: string, message: string | undefined, el: string | undefined): void {
  for (const child of r.children(null)) terminate(r, child.id);
  closeOwned(r, null);
  r.emit({ type: 'instance.failed', code, ...(message ? { message } : {}), ...(el ? { el } : {}) });
  if (r.s.calledBy) r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'error', code, message });
}
