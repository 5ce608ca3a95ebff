// apply(state, event): the only code that changes an instance's state. Replaying a case's
// events through it must give the saved snapshot (shared/DESIGN.md §1).
import type { EngineEvent, InstanceState } from '../types.js';

export function initialState(): InstanceState {
  return {
    v: 1,
    def: { kind: 'bpmn', key: '', version: 0, hash: '' },
    process: '',
    status: 'active',
    next: 1,
    vars: {},
    elements: {},
    joins: {},
    timers: {},
    subs: {},
    incidents: {},
    done: {},
  };
}

/** Pure apply: returns a new state and leaves the given one untouched. */
export function apply(state: InstanceState, event: EngineEvent): InstanceState {
  const draft = cloneState(state);
  applyInPlace(draft, event);
  return draft;
}

/** Fold events over the initial state. */
export function replay(events: readonly EngineEvent[]): InstanceState {
  const s = initialState();
  for (const e of events) applyInPlace(s, e);
  return s;
}

/**
 * A copy that applyInPlace may change without touching `state`: it copies every object that
 * applyInPlace mutates and shares the rest (variable values, waits, timers and subscriptions
 * are replaced, never changed in place). An order of magnitude cheaper than structuredClone.
 */
export function cloneState(state: InstanceState): InstanceState {
  const elements: InstanceState['elements'] = {};
  for (const [id, e] of Object.entries(state.elements)) elements[id] = e.vars ? { ...e, vars: { ...e.vars } } : { ...e };
  const joins: InstanceState['joins'] = {};
  for (const [k, j] of Object.entries(state.joins)) joins[k] = { ...j };
  const copy: InstanceState = {
    ...state,
    vars: { ...state.vars },
    elements,
    joins,
    timers: { ...state.timers },
    subs: { ...state.subs },
    incidents: { ...state.incidents },
    done: { ...state.done },
  };
  if (state.compensable) copy.compensable = Object.fromEntries(Object.entries(state.compensable).map(([k, v]) => [k, [...v]]));
  return copy;
}

/** Mutating apply, used on a private draft by step() and replay(). */
export function applyInPlace(s: InstanceState, e: EngineEvent): void {
  switch (e.type) {
    case 'instance.started':
      s.process = e.process;
      s.def = e.def;
      s.vars = { ...e.variables };
      s.status = 'active';
      if (e.calledBy) s.calledBy = e.calledBy;
      return;
    case 'counter.advanced':
      s.next = e.next;
      return;
    case 'element.activated': {
      const ei: InstanceState['elements'][string] = { id: e.eid, el: e.el, parent: e.parent };
      if (e.vars) ei.vars = { ...e.vars };
      s.elements[e.eid] = ei;
      bumpCounter(s, e.eid);
      return;
    }
    case 'element.waiting':
      s.elements[e.eid].wait = e.wait;
      return;
    case 'element.resumed':
      delete s.elements[e.eid].wait;
      return;
    case 'element.data':
      s.elements[e.eid].data = { ...(s.elements[e.eid].data ?? {}), ...e.data };
      return;
    case 'loop.updated':
      s.elements[e.eid].loop = e.loop;
      return;
    case 'element.completed':
      delete s.elements[e.eid];
      s.done[e.el] = (s.done[e.el] ?? 0) + 1;
      return;
    case 'element.terminated':
      delete s.elements[e.eid];
      return;
    case 'flow.taken':
      return;
    case 'join.arrived': {
      const j = (s.joins[e.key] ??= {});
      j[e.flow] = (j[e.flow] ?? 0) + 1;
      return;
    }
    case 'join.fired': {
      const j = s.joins[e.key];
      for (const [flow, n] of Object.entries(e.consumed)) {
        j[flow] -= n;
        if (j[flow] <= 0) delete j[flow];
      }
      if (Object.keys(j).length === 0) delete s.joins[e.key];
      return;
    }
    case 'variables.set': {
      const target = e.scope === null ? s.vars : (s.elements[e.scope].vars ??= {});
      Object.assign(target, e.variables);
      return;
    }
    case 'timer.scheduled':
      s.timers[e.timer.timerId] = e.timer;
      bumpCounter(s, e.timer.timerId);
      return;
    case 'timer.cancelled':
    case 'timer.fired':
      delete s.timers[e.timerId];
      return;
    case 'subscription.opened':
      s.subs[e.sub.id] = e.sub;
      bumpCounter(s, e.sub.id);
      return;
    case 'subscription.closed':
      delete s.subs[e.id];
      return;
    case 'task.updated': {
      // Replace, never mutate: the old wait object is also the payload of an earlier event.
      const ei = s.elements[e.eid];
      if (ei.wait?.kind === 'userTask') ei.wait = { ...ei.wait, task: e.task };
      return;
    }
    case 'compensation.registered':
      ((s.compensable ??= {})[e.scope] ??= []).push({ el: e.el, eid: e.eid });
      return;
    case 'compensation.consumed': {
      const list = s.compensable?.[e.scope];
      if (list) {
        const left = list.filter((c) => !e.eids.includes(c.eid));
        if (left.length === 0) delete s.compensable![e.scope];
        else s.compensable![e.scope] = left;
      }
      return;
    }
    case 'incident.raised':
      s.incidents[e.incident.id] = e.incident;
      bumpCounter(s, e.incident.id);
      return;
    case 'incident.resolved':
      delete s.incidents[e.id];
      return;
    case 'escalation.thrown':
      return;
    case 'machine.transitioned':
      s.machine = e.snapshot;
      return;
    case 'instance.completed':
      s.status = 'completed';
      return;
    case 'instance.terminated':
      s.status = 'terminated';
      return;
    case 'instance.failed':
      s.status = 'failed';
      s.failure = { code: e.code, message: e.message, el: e.el };
      return;
  }
}

/** Ids are `<prefix><n>`; keep the counter past every id a replayed event allocated. */
function bumpCounter(s: InstanceState, id: string): void {
  const n = Number(id.replace(/^\D+/, ''));
  if (Number.isFinite(n) && n >= s.next) s.next = n + 1;
}
