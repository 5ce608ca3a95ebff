// Multi-instance (parallel and sequential) and standard loops. The activity's element instance
// is a body holding the loop counters; each iteration is an inner instance of the same element.
import type { ElementInstance, LoopState, Variables } from '../types.js';
import type { Node } from '../model/graph.js';
import { IncidentSignal, Run } from './run.js';
import { enter, enterInner, leave, terminate, closeOwned } from './flow.js';
import { throwEscalation } from './propagation.js';

export const isLoopInner = (r: Run, ei: ElementInstance): boolean => !!ei.parent && r.ei(ei.parent)?.el === ei.el && !!r.ei(ei.parent)?.loop;

export function enterLoop(r: Run, body: string, n: Node): void {
  const l = n.loop!;
  r.emit({ type: 'element.waiting', eid: body, wait: { kind: 'scope' } });
  if (l.kind === 'standard') {
    if (l.maximum !== undefined && (!Number.isInteger(l.maximum) || l.maximum < 0)) {
      throw new IncidentSignal('invalid-loop-maximum', `loopMaximum of ${n.id} is ${l.maximum}; it must be a whole number, at least 0`, body);
    }
    const loop: LoopState = { mode: 'standard', total: l.maximum ?? -1, started: 0, completed: 0, active: 0 };
    r.emit({ type: 'loop.updated', eid: body, loop });
    if (l.testBefore && !loopConditionHolds(r, body, n)) return finish(r, body, n);
    return next(r, body, n);
  }
  let items: unknown[] | undefined;
  let total: number;
  if (l.collection) {
    const c = r.evaluate(l.collection, body);
    if (!Array.isArray(c)) throw new IncidentSignal('collection-not-a-list', `The input collection of ${n.id} is not a list (${l.collection.source})`, body);
    items = c;
    total = c.length;
  } else {
    const v = Number(r.evaluate(l.cardinality!, body));
    if (!Number.isInteger(v) || v < 0) throw new IncidentSignal('invalid-loop-cardinality', `loopCardinality of ${n.id} is ${v}; it must be a whole number, at least 0`, body);
    total = v;
  }
  const loop: LoopState = { mode: l.sequential ? 'sequential' : 'parallel', total, started: 0, completed: 0, active: 0 };
  if (items) loop.items = items;
  if (l.outputCollection) loop.outputs = new Array(total).fill(null);
  r.emit({ type: 'loop.updated', eid: body, loop });
  if (l.outputCollection) r.setLocal(body, { [l.outputCollection]: loop.outputs });
  if (total === 0) return finish(r, body, n);
  const first = l.sequential ? 1 : total;
  for (let i = 0; i < first; i++) next(r, body, n);
}

function counters(loop: LoopState): Variables {
  return { nrOfInstances: loop.total, nrOfActiveInstances: loop.active, nrOfCompletedInstances: loop.completed };
}

function next(r: Run, body: string, n: Node): void {
  const loop = { ...r.ei(body).loop! };
  const l = n.loop!;
  const vars: Variables = { loopCounter: loop.started + l.counterBase };
  if (loop.items && l.elementVariable) vars[l.elementVariable] = loop.items[loop.started] ?? null;
  loop.started++;
  loop.active++;
  r.emit({ type: 'loop.updated', eid: body, loop });
  r.setLocal(body, counters(loop));
  r.later(() => enterInner(r, n, body, vars));
}

function loopConditionHolds(r: Run, body: string, n: Node): boolean {
  const l = n.loop!;
  const loop = r.ei(body).loop!;
  if (l.maximum !== undefined && loop.started >= l.maximum) return false;
  return l.condition ? r.evaluate(l.condition, body) === true : false;
}

/** An iteration finished: collect its output, then start the next one or finish the loop. */
export function innerCompleted(r: Run, body: string, inner: ElementInstance, produced: Variables | undefined): void {
  const n = r.node(inner.el);
  const l = n.loop!;
  const loop = { ...r.ei(body).loop! };
  loop.completed++;
  loop.active--;
  if (loop.outputs && l.outputElement) {
    const index = Number(inner.vars?.loopCounter ?? loop.completed) - l.counterBase;
    loop.outputs = [...loop.outputs];
    loop.outputs[index] = r.evaluate(l.outputElement, null, { ...(inner.vars ?? {}), ...(produced ?? {}) });
  }
  r.emit({ type: 'loop.updated', eid: body, loop });
  r.setLocal(body, counters(loop));
  if (loop.outputs && l.outputCollection) r.setLocal(body, { [l.outputCollection]: loop.outputs });
  behaviourEvent(r, body, n, loop);

  if (l.kind === 'standard') {
    if (loopConditionHolds(r, body, n)) return next(r, body, n);
    return finish(r, body, n);
  }
  if (l.completionCondition && r.evaluate(l.completionCondition, body) === true) {
    for (const child of r.children(body)) terminate(r, child.id);
    return finish(r, body, n);
  }
  if (loop.completed >= loop.total) return finish(r, body, n);
  if (l.sequential) next(r, body, n);
}

/** MI behaviour None throws its event after every iteration, One after the first (BPMN 2.0 §10.2.8). */
function behaviourEvent(r: Run, body: string, n: Node, loop: LoopState): void {
  const l = n.loop!;
  const ev = l.behavior === 'None' ? l.noneBehaviorEvent : l.behavior === 'One' && loop.completed === 1 ? l.oneBehaviorEvent : undefined;
  if (!ev) return;
  // These events are thrown implicitly and never interrupt the activity.
  if (ev.kind === 'signal') {
    for (const b of n.boundaries.map((id) => r.node(id))) {
      if (b.events?.[0]?.kind === 'signal' && b.events[0].name === ev.name) r.later(() => enter(r, b, r.ei(body)?.parent ?? null));
    }
  } else {
    throwEscalation(r, body, ev.name);
  }
}


function finish(r: Run, body: string, n: Node): void {
  const ei = r.ei(body);
  const l = n.loop!;
  const out = l.outputCollection ? { [l.outputCollection]: ei.loop?.outputs ?? [] } : undefined;
  closeOwned(r, body);
  r.emit({ type: 'element.completed', eid: body, el: n.id });
  if (out) r.propagate(ei.parent, out);
  leave(r, n, ei.parent);
}
