// Catching events: intermediate catch events and receive tasks, boundary events, event
// sub-process starts and event-based gateway targets. Each holds a timer or a subscription
// owned by an element instance; triggering one moves the token on.
import type { Subscription, TimerInfo, Variables } from '../types.js';
import type { EventDef, Node } from '../model/graph.js';
import { firstDue, nextDue, parseDuration } from '../time/index.js';
import { taskDueAt } from './behaviours.js';
import { IncidentSignal, Run } from './run.js';
import { closeOwned, complete, enter, leave, terminate, terminateChildren } from './flow.js';

/** An intermediate catch event or receive task waits for its trigger. */
export function catchEvent(r: Run, eid: string, n: Node): void {
  if (n.type === 'receiveTask') {
    const m = n.message;
    if (!m) throw new IncidentSignal('message-missing', `Receive task ${n.id} names no message`, eid);
    r.emit({ type: 'element.waiting', eid, wait: { kind: 'message', name: m.name, ...keyOf(r, eid, m.correlationKey) } });
    openSub(r, eid, n.id, { kind: 'message', name: m.name, correlationKey: m.correlationKey });
    return;
  }
  const defs = n.events ?? [];
  if (defs[0]?.kind === 'link') {
    r.later(() => complete(r, eid));
    return;
  }
  const first = defs[0];
  r.emit({ type: 'element.waiting', eid, wait: waitOf(r, eid, first) });
  for (const d of defs) {
    if (armEvent(r, eid, n.id, d)) return;
  }
}

function waitOf(r: Run, eid: string, d: EventDef | undefined): import('../types.js').Wait {
  switch (d?.kind) {
    case 'timer': return { kind: 'timer', timerId: '' };
    case 'message': return { kind: 'message', name: d.name ?? '', ...keyOf(r, eid, d.correlationKey) };
    case 'signal': return { kind: 'signal', name: d.name ?? '' };
    default: return { kind: 'conditional' };
  }
}

function keyOf(r: Run, eid: string, expr: EventDef['correlationKey']): { correlationKey?: string } {
  if (!expr) return {};
  const v = r.evaluate(expr, eid);
  return v === undefined || v === null ? {} : { correlationKey: String(v) };
}

/**
 * Arms one event definition for the catching element `el`, owned by element instance `owner`.
 * Returns true when a conditional event was already true and has fired.
 */
function armEvent(r: Run, owner: string | null, el: string, d: EventDef): boolean {
  switch (d.kind) {
    case 'timer':
      scheduleTimer(r, owner, el, d);
      return false;
    case 'message':
      openSub(r, owner, el, { kind: 'message', name: d.name, correlationKey: d.correlationKey });
      return false;
    case 'signal':
      openSub(r, owner, el, { kind: 'signal', name: d.name });
      return false;
    case 'conditional': {
      const sub = openSub(r, owner, el, { kind: 'conditional' });
      // A conditional event whose condition already holds fires at once (as in Camunda 7).
      if (d.condition && r.evaluate(d.condition, owner) === true) {
        trigger(r, sub, {});
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

function openSub(r: Run, owner: string | null, el: string, what: { kind: Subscription['kind']; name?: string; correlationKey?: EventDef['correlationKey'] }): Subscription {
  const sub: Subscription = { id: r.alloc('s'), kind: what.kind, el, owner };
  if (what.name !== undefined) sub.name = what.name;
  if (what.correlationKey) Object.assign(sub, keyOf(r, owner ?? '', what.correlationKey));
  const n = r.node(el);
  if (n.interrupting === false) sub.interrupting = false;
  r.emit({ type: 'subscription.opened', sub });
  return sub;
}

function scheduleTimer(r: Run, owner: string | null, el: string, d: EventDef): void {
  const t = d.timer!;
  const value = t.expr ? String(r.evaluate(t.expr, owner)) : t.value;
  if (t.relativeToDue) return scheduleRelativeToDue(r, owner!, el, t.relativeToDue, value, t.calendar);
  const due = firstDue({ kind: t.kind, value }, r.ctx.now, r.calendar(t.calendar));
  if (!due.ok) throw new IncidentSignal(due.code, `Timer ${el}: ${due.message}`, owner ?? undefined);
  const timer: TimerInfo = { timerId: r.alloc('t'), el, owner, dueAt: due.dueAt };
  if (due.repeat !== undefined) timer.repeat = due.repeat;
  if (due.period) timer.period = due.period;
  if (due.end) timer.end = due.end;
  if (t.calendar) timer.calendar = t.calendar;
  r.emit({ type: 'timer.scheduled', timer });
  r.effect({ type: 'scheduleTimer', timerId: timer.timerId, dueAt: timer.dueAt, el });
  const ei = owner ? r.ei(owner) : undefined;
  if (ei?.wait?.kind === 'timer' && ei.el === el) r.emit({ type: 'element.waiting', eid: owner!, wait: { kind: 'timer', timerId: timer.timerId } });
}

/**
 * A reminder before, or an escalation after, the host task's due date, counted in the
 * deadline's calendar (the task's unless it names its own): "before" counts back, so a
 * reminder one working day before a Monday is due on the Friday, not the Sunday.
 * A task without a due date has nothing to count from, so no timer is set.
 */
function scheduleRelativeToDue(r: Run, owner: string, el: string, sign: -1 | 1, period: string, calendar: string | undefined): void {
  const due = taskDueAt(r, owner, r.node(r.ei(owner).el));
  if (!due) return;
  const d = parseDuration(period);
  if (!d.ok) throw new IncidentSignal('invalid-timer', `Timer ${el}: ${d.message}`, owner);
  const cal = r.calendar(calendar);
  const res = sign === 1 ? cal.add(due, d.value) : cal.subtract(due, d.value);
  if (!res.ok) throw new IncidentSignal(res.code, `Timer ${el}: ${res.message}`, owner);
  // A reminder whose moment has passed (a short deadline) is not sent late.
  if (sign === -1 && Date.parse(res.value) <= Date.parse(r.ctx.now)) return;
  const timer: TimerInfo = { timerId: r.alloc('t'), el, owner, dueAt: res.value };
  if (calendar) timer.calendar = calendar;
  r.emit({ type: 'timer.scheduled', timer });
  r.effect({ type: 'scheduleTimer', timerId: timer.timerId, dueAt: timer.dueAt, el });
}

/** Boundary events of an activity are armed when it starts. Returns true if one already interrupted it. */
export function openBoundaries(r: Run, eid: string, n: Node): boolean {
  for (const b of n.boundaries) {
    for (const d of r.node(b).events ?? []) {
      if (armEvent(r, eid, b, d) && !r.ei(eid)) return true;
    }
  }
  return false;
}

/** Event sub-process start events of a scope are armed when it starts. Returns true if one interrupted it at once. */
export function openScopeSubscriptions(r: Run, scope: string | null, eventSubs: string[]): boolean {
  for (const esp of eventSubs) {
    const start = startEventOf(r, esp);
    if (!start) continue;
    for (const d of start.events ?? []) {
      if (armEvent(r, scope, start.id, d) && start.interrupting !== false) return true;
    }
  }
  return false;
}

export function startEventOf(r: Run, container: string | null): Node | undefined {
  const ids = container === null ? r.g.children : r.node(container).children ?? [];
  return ids.map((id) => r.node(id)).find((n) => n.type === 'startEvent');
}

/** Starts the flow inside a sub-process: its start event, or every element without incoming flow. */
export function startScope(r: Run, eid: string, n: Node): void {
  const kids = (n.children ?? []).map((id) => r.node(id));
  const triggered = r.ei(eid).data?.triggered;
  if (typeof triggered === 'string') {
    r.later(() => enter(r, r.node(triggered), eid));
    return;
  }
  const noneStart = kids.find((k) => k.type === 'startEvent' && (k.events?.[0]?.kind ?? 'none') === 'none');
  if (noneStart) {
    r.later(() => enter(r, noneStart, eid));
    return;
  }
  const sources = kids.filter((k) => k.incoming.length === 0 && k.type !== 'boundaryEvent' && !k.isForCompensation && k.type !== 'startEvent');
  if (n.adHoc?.sequential) {
    if (sources[0]) r.later(() => enter(r, sources[0], eid));
    r.emit({ type: 'element.data', eid, data: { adHocQueue: sources.slice(1).map((k) => k.id) } });
    return;
  }
  for (const k of sources) r.later(() => enter(r, k, eid));
  if (sources.length === 0) r.dirtyScopes.add(eid);
}

/** An event-based gateway arms the events that follow it; the first to fire wins. */
export function openGatewayTargets(r: Run, eid: string, n: Node): void {
  for (const fid of n.outgoing) {
    const target = r.node(r.g.flows[fid].target);
    if (target.type === 'receiveTask' && target.message) {
      openSub(r, eid, target.id, { kind: 'message', name: target.message.name, correlationKey: target.message.correlationKey });
      continue;
    }
    for (const d of target.events ?? []) if (armEvent(r, eid, target.id, d)) return;
  }
}

/** A timer, message, signal or condition fired for the catching element `el` owned by `owner`. */
export function trigger(r: Run, sub: { id?: string; el: string; owner: string | null; kind: string }, vars: Variables, timer?: TimerInfo): void {
  const n = r.node(sub.el);
  const owner = sub.owner;
  const ownerEi = owner ? r.ei(owner) : undefined;
  if (owner && !ownerEi) return;

  // Event-based gateway: the first event wins and the others are withdrawn.
  if (ownerEi && r.node(ownerEi.el).type === 'eventBasedGateway') {
    closeOwned(r, owner);
    r.emit({ type: 'element.resumed', eid: owner! });
    r.emit({ type: 'element.completed', eid: owner!, el: ownerEi.el });
    const flow = r.node(ownerEi.el).outgoing.find((f) => r.g.flows[f].target === n.id)!;
    r.emit({ type: 'flow.taken', flow, scope: ownerEi.parent });
    const target = enterTriggered(r, n, ownerEi.parent, flow);
    if (Object.keys(vars).length) r.propagate(ownerEi.parent, vars);
    r.later(() => complete(r, target));
    return;
  }

  // An intermediate timer with a cycle sends a token on at each firing and completes at the last.
  if (ownerEi && ownerEi.el === n.id && timer?.period && timer.repeat !== undefined && timer.repeat !== 0) {
    const next = rescheduled(r, timer, owner);
    if (next) {
      r.emit({ type: 'element.waiting', eid: owner!, wait: { kind: 'timer', timerId: next } });
      leave(r, n, ownerEi.parent);
      return;
    }
  }

  // The catch event or receive task itself.
  if (ownerEi && ownerEi.el === n.id) {
    if (n.parallelMultiple && !allParallelFired(r, owner!, sub)) return;
    closeOwned(r, owner);
    r.emit({ type: 'element.resumed', eid: owner! });
    r.later(() => complete(r, owner!, vars));
    return;
  }

  if (n.type === 'boundaryEvent') {
    rearm(r, sub, timer);
    const host = owner!;
    const hostEi = r.ei(host);
    if (n.interrupting !== false) terminate(r, host);
    enterTriggered(r, n, hostEi.parent);
    if (Object.keys(vars).length) r.propagate(hostEi.parent, vars);
    return;
  }

  if (n.type === 'startEvent') {
    // An event sub-process start in scope `owner`.
    const esp = r.node(n.scope!);
    rearm(r, sub, timer);
    if (n.interrupting !== false) {
      closeOwned(r, owner);
      terminateChildren(r, owner);
    }
    enter(r, esp, owner, undefined, undefined, { triggered: n.id });
    if (Object.keys(vars).length) r.propagate(owner, vars);
    return;
  }
}

/** Activates a catching element that has already been triggered (it completes without waiting). */
function enterTriggered(r: Run, n: Node, scope: string | null, flow?: string): string {
  const eid = r.alloc('e');
  r.emit({ type: 'element.activated', eid, el: n.id, parent: scope, ...(flow ? { flow } : {}) });
  if (n.type === 'boundaryEvent') r.later(() => complete(r, eid));
  return eid;
}

/** Non-interrupting timer cycles re-arm; messages and signals stay open. */
function rearm(r: Run, sub: { id?: string; el: string; owner: string | null; kind: string }, timer?: TimerInfo): void {
  if (r.node(sub.el).interrupting !== false) return;
  if (timer?.period && timer.repeat !== undefined && timer.repeat !== 0) rescheduled(r, timer, sub.owner);
}

/** Schedules a cycle's next firing from its previous due time; returns the new timer id, or undefined when the cycle is over. */
function rescheduled(r: Run, timer: TimerInfo, owner: string | null): string | undefined {
  const next = nextDue({ dueAt: timer.dueAt, repeat: timer.repeat!, period: timer.period!, ...(timer.end ? { end: timer.end } : {}) }, r.ctx.now, r.calendar(timer.calendar));
  if (!next) return undefined;
  if (!next.ok) throw new IncidentSignal(next.code, `Timer ${timer.el}: ${next.message}`, owner ?? undefined);
  const t: TimerInfo = { ...timer, timerId: r.alloc('t'), dueAt: next.dueAt, repeat: next.repeat };
  r.emit({ type: 'timer.scheduled', timer: t });
  r.effect({ type: 'scheduleTimer', timerId: t.timerId, dueAt: t.dueAt, el: t.el });
  return t.timerId;
}

/** A parallel-multiple catch event fires when every one of its definitions has fired. */
function allParallelFired(r: Run, owner: string, sub: { id?: string }): boolean {
  if (sub.id) r.emit({ type: 'subscription.closed', id: sub.id });
  const left = Object.values(r.s.subs).some((s) => s.owner === owner) || Object.values(r.s.timers).some((t) => t.owner === owner);
  return !left;
}

/** Conditional events are re-evaluated whenever variables have changed. */
export function checkConditions(r: Run): void {
  for (const sub of Object.values(r.s.subs)) {
    if (sub.kind !== 'conditional' || !r.s.subs[sub.id]) continue;
    const n = r.node(sub.el);
    const d = (n.events ?? []).find((e) => e.kind === 'conditional');
    if (!d?.condition) continue;
    if (r.evaluate(d.condition, sub.owner) !== true) continue;
    if (n.interrupting !== false || n.type !== 'boundaryEvent') r.emit({ type: 'subscription.closed', id: sub.id });
    trigger(r, sub, {});
  }
}

export function timerFired(r: Run, timer: TimerInfo): void {
  r.emit({ type: 'timer.fired', timerId: timer.timerId });
  trigger(r, { el: timer.el, owner: timer.owner, kind: 'timer' }, {}, timer);
}
