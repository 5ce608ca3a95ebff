// step(definition, state, command, ctx) for BPMN processes: validate the command against the
// state, run it on a private draft until every token has come to rest, and return the events
// (which reproduce the new state) and the effects (what the world must do).
import type { Command, DefinitionRef, Failure, InstanceState, Result, StepContext, StepOutput } from '../types.js';
import type { CompiledBpmn, Node } from '../model/graph.js';
import { cloneState, initialState } from './apply.js';
import { IncidentSignal, Run, StepLimitExceeded } from './run.js';
import { checkScope, complete, enter, closeOwned, terminate } from './flow.js';
import { checkConditions, openScopeSubscriptions, timerFired, trigger } from './catching.js';
import { checkPendingJoins } from './gateways.js';
import { throwError, throwEscalation } from './propagation.js';
import { callOutputs, execute } from './behaviours.js';
import { closeIfInterrupting, messageSubscriptions, signalSubscriptions } from './signals.js';
import { signOff } from '../signoff/rules.js';

export interface BpmnDefinition {
  kind: 'bpmn';
  ref: DefinitionRef;
  compiled: CompiledBpmn;
}

const fail = (code: Failure['code'], message: string, details?: Record<string, unknown>): Result<StepOutput> => ({ ok: false, failure: { code, message, ...(details ? { details } : {}) } });

export function stepBpmn(def: BpmnDefinition, state: InstanceState | null, cmd: Command, ctx: StepContext): Result<StepOutput> {
  if (cmd.type === 'start') {
    if (state && state.process) return fail('ALREADY_STARTED', 'The instance has already started');
  } else {
    if (!state || !state.process) return fail('NOT_STARTED', 'The instance has not started');
    if (state.status !== 'active') return fail('INSTANCE_NOT_ACTIVE', `The instance is ${state.status}`);
  }
  const processId = cmd.type === 'start' ? def.ref.key : state!.process;
  const g = def.compiled.processes[processId];
  if (!g) return fail('INVALID_COMMAND', `Process ${processId} is not in definition ${def.ref.key} v${def.ref.version}`);
  const r = new Run(def.compiled, g, state ? cloneState(state) : initialState(), ctx);
  try {
    const pre = dispatch(r, def, cmd);
    if (pre) return { ok: false, failure: pre };
    settle(r);
  } catch (e) {
    if (!(e instanceof StepLimitExceeded)) throw e;
    return fail('STEP_LIMIT', 'The model loops without reaching a wait state; the command was not applied', { limit: 100_000 });
  }
  return { ok: true, value: { events: r.events, effects: r.effects, state: r.s } };
}

function dispatch(r: Run, def: BpmnDefinition, cmd: Command): Failure | undefined {
  switch (cmd.type) {
    case 'start':
      return start(r, def, cmd.variables ?? {}, cmd.startEventId, cmd.calledBy);
    case 'complete': {
      const ei = r.ei(cmd.eid);
      if (!ei) return { code: 'UNKNOWN_ELEMENT_INSTANCE', message: `No active element instance ${cmd.eid}` };
      const w = ei.wait;
      if (!w || !['userTask', 'job', 'manualTask', 'message'].includes(w.kind)) return { code: 'NOT_WAITING', message: `${ei.el} (${cmd.eid}) is not waiting for completion` };
      if (w.kind === 'userTask' && w.task.signoffRoles?.length) return { code: 'SIGNOFF_REJECTED', message: `${ei.el} needs joint sign-off by ${w.task.signoffRoles.join(', ')}; use sign-off, not complete` };
      if (w.kind === 'message') {
        for (const sub of Object.values(r.s.subs)) if (sub.owner === cmd.eid) r.emit({ type: 'subscription.closed', id: sub.id });
      }
      r.emit({ type: 'element.resumed', eid: cmd.eid });
      guarded(r, cmd.eid, () => complete(r, cmd.eid, cmd.variables));
      return undefined;
    }
    case 'throwError': {
      const ei = r.ei(cmd.eid);
      if (!ei) return { code: 'UNKNOWN_ELEMENT_INSTANCE', message: `No active element instance ${cmd.eid}` };
      if (ei.wait?.kind !== 'job' && ei.wait?.kind !== 'userTask') return { code: 'NOT_WAITING', message: `${ei.el} (${cmd.eid}) is not a job or a user task` };
      if (cmd.variables) r.propagate(ei.parent, cmd.variables);
      r.emit({ type: 'element.resumed', eid: cmd.eid });
      throwError(r, cmd.eid, cmd.code, cmd.message);
      return undefined;
    }
    case 'failJob': {
      const ei = r.ei(cmd.eid);
      if (!ei || ei.wait?.kind !== 'job') return { code: 'NOT_WAITING', message: `${cmd.eid} is not a waiting job` };
      const w = ei.wait;
      r.emit({ type: 'element.waiting', eid: cmd.eid, wait: { ...w, retries: Math.max(0, cmd.retries) } });
      if (cmd.retries > 0) {
        r.effect({ type: 'activateJob', jobId: w.jobId, eid: cmd.eid, el: ei.el, jobType: w.type, retries: cmd.retries, variables: { ...r.visible(cmd.eid) } });
      } else {
        r.raiseIncident('job-failed', cmd.message, ei.el, cmd.eid, { kind: 'job', eid: cmd.eid });
      }
      return undefined;
    }
    case 'fireTimer': {
      const t = r.s.timers[cmd.timerId];
      if (!t) return undefined; // cancelled or already fired: a no-op
      guarded(r, t.owner, () => timerFired(r, t));
      return undefined;
    }
    case 'correlateMessage': {
      const subs = cmd.subscriptionId ? [r.s.subs[cmd.subscriptionId]].filter(Boolean) : messageSubscriptions(r.s, cmd.name, cmd.correlationKey);
      const sub = subs[0];
      if (!sub) return { code: 'NO_SUBSCRIPTION', message: `No subscription for message "${cmd.name}"${cmd.correlationKey !== undefined ? ` with key "${cmd.correlationKey}"` : ''}` };
      closeIfInterrupting(r, sub);
      guarded(r, sub.owner, () => trigger(r, sub, cmd.variables ?? {}));
      return undefined;
    }
    case 'signal': {
      const subs = cmd.subscriptionId ? [r.s.subs[cmd.subscriptionId]].filter(Boolean) : signalSubscriptions(r.s, cmd.name);
      for (const sub of subs) {
        if (!r.s.subs[sub.id]) continue;
        closeIfInterrupting(r, sub);
        guarded(r, sub.owner, () => trigger(r, sub, cmd.variables ?? {}));
      }
      return undefined;
    }
    case 'callEnded': {
      const ei = r.ei(cmd.eid);
      if (!ei || ei.wait?.kind !== 'call') return { code: 'NOT_WAITING', message: `${cmd.eid} is not a waiting call activity` };
      const n = r.node(ei.el);
      if (cmd.outcome === 'completed') {
        r.emit({ type: 'element.resumed', eid: cmd.eid });
        guarded(r, cmd.eid, () => complete(r, cmd.eid, callOutputs(r, n, cmd.variables ?? {})));
      } else if (cmd.outcome === 'error') {
        r.emit({ type: 'element.resumed', eid: cmd.eid });
        throwError(r, cmd.eid, cmd.code, cmd.message);
      } else if (cmd.outcome === 'escalation') {
        throwEscalation(r, cmd.eid, cmd.code);
      } else {
        r.raiseIncident('called-instance-terminated', `The instance called by ${ei.el} was terminated`, ei.el, cmd.eid, { kind: 'call', eid: cmd.eid });
      }
      return undefined;
    }
    case 'callFailed': {
      const ei = r.ei(cmd.eid);
      if (!ei || ei.wait?.kind !== 'call') return { code: 'NOT_WAITING', message: `${cmd.eid} is not a waiting call activity` };
      r.raiseIncident('call-failed', cmd.message, ei.el, cmd.eid, { kind: 'call', eid: cmd.eid });
      return undefined;
    }
    case 'setVariables': {
      if (cmd.eid && !r.ei(cmd.eid)) return { code: 'UNKNOWN_ELEMENT_INSTANCE', message: `No active element instance ${cmd.eid}` };
      r.emit({ type: 'variables.set', scope: cmd.eid ?? null, variables: cmd.variables });
      return undefined;
    }
    case 'cancel': {
      for (const child of r.children(null)) terminate(r, child.id);
      closeOwned(r, null);
      for (const key of Object.keys(r.s.joins)) r.emit({ type: 'join.fired', key, consumed: { ...r.s.joins[key] } });
      for (const id of Object.keys(r.s.incidents)) r.emit({ type: 'incident.resolved', id });
      r.emit({ type: 'instance.terminated', ...(cmd.reason ? { reason: cmd.reason } : {}) });
      if (r.s.calledBy) r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'terminated' });
      return undefined;
    }
    case 'resolveIncident':
      return resolveIncident(r, cmd.incidentId);
    case 'updateTask': {
      const ei = r.ei(cmd.eid);
      if (!ei || ei.wait?.kind !== 'userTask') return { code: 'NOT_WAITING', message: `${cmd.eid} is not an open user task` };
      const task = { ...ei.wait.task };
      if (cmd.assignee === null) delete task.assignee;
      else if (cmd.assignee !== undefined) task.assignee = cmd.assignee;
      r.emit({ type: 'task.updated', eid: cmd.eid, task });
      return undefined;
    }
    case 'signOff': {
      const ei = r.ei(cmd.eid);
      if (!ei || ei.wait?.kind !== 'userTask') return { code: 'NOT_WAITING', message: `${cmd.eid} is not an open user task` };
      const res = signOff(ei.wait.task, { role: cmd.role, userId: cmd.userId, decision: cmd.decision, comment: cmd.comment, at: r.ctx.now });
      if (!res.ok) return res.failure;
      r.emit({ type: 'task.updated', eid: cmd.eid, task: res.value.task });
      if (res.value.outcome) {
        r.emit({ type: 'element.resumed', eid: cmd.eid });
        guarded(r, cmd.eid, () => complete(r, cmd.eid, { ...(cmd.variables ?? {}), ...res.value.variables }));
      }
      return undefined;
    }
  }
}

function start(r: Run, def: BpmnDefinition, variables: Record<string, unknown>, startEventId: string | undefined, calledBy: { caseId: string; eid: string } | undefined): Failure | undefined {
  const g = r.g;
  let first: Node | undefined;
  if (startEventId) {
    first = g.nodes[startEventId];
    const startable = first && first.scope === null && (first.type === 'startEvent' || (first.type === 'receiveTask' && first.instantiate));
    if (!startable) return { code: 'NO_START_EVENT', message: `${startEventId} is not a start event of process ${g.id}` };
  } else {
    const starts = g.children.map((id) => g.nodes[id]).filter((n) => n.type === 'startEvent');
    first = starts.find((n) => (n.events?.[0]?.kind ?? 'none') === 'none') ?? (starts.length === 1 ? starts[0] : undefined);
  }
  r.emit({ type: 'instance.started', process: g.id, def: def.ref, variables, ...(calledBy ? { calledBy } : {}) });
  if (openScopeSubscriptions(r, null, g.eventSubProcesses)) return undefined;
  if (first) {
    const n = first;
    if (n.type === 'receiveTask') {
      // An instantiating receive task has already received its message.
      const eid = r.alloc('e');
      r.emit({ type: 'element.activated', eid, el: n.id, parent: null });
      r.later(() => complete(r, eid));
    } else {
      r.later(() => enter(r, n, null));
    }
    return undefined;
  }
  // No start event: every element without incoming flow starts (BPMN 2.0 §10.5.2).
  const sources = g.children.map((id) => g.nodes[id]).filter((n) => n.incoming.length === 0 && n.type !== 'boundaryEvent' && !n.isForCompensation);
  if (sources.length === 0) return { code: 'NO_START_EVENT', message: `Process ${g.id} has no start event` };
  for (const n of sources) r.later(() => enter(r, n, null));
  return undefined;
}

function resolveIncident(r: Run, id: string): Failure | undefined {
  const inc = r.s.incidents[id];
  if (!inc) return { code: 'UNKNOWN_INCIDENT', message: `No open incident ${id}` };
  r.emit({ type: 'incident.resolved', id });
  const retry = inc.retry;
  if (!retry) return undefined;
  const ei = r.ei(retry.eid);
  if (!ei) return undefined;
  const n = r.node(ei.el);
  if (retry.kind === 'job' && ei.wait?.kind === 'job') {
    const retries = n.job?.retries ?? 3;
    r.emit({ type: 'element.waiting', eid: ei.id, wait: { ...ei.wait, retries } });
    r.effect({ type: 'activateJob', jobId: ei.wait.jobId, eid: ei.id, el: ei.el, jobType: ei.wait.type, retries, variables: { ...r.visible(ei.id) } });
    return undefined;
  }
  if (ei.wait) r.emit({ type: 'element.resumed', eid: ei.id });
  guarded(r, ei.id, () => execute(r, ei.id, n));
  return undefined;
}

/** Runs work that may fail for a model reason; the failure becomes an incident on the element. */
function guarded(r: Run, eid: string | null, work: () => void): void {
  try {
    work();
  } catch (e) {
    if (!(e instanceof IncidentSignal)) throw e;
    const at = e.eid ?? eid ?? undefined;
    const ei = at ? r.ei(at) : undefined;
    r.raiseIncident(e.code, e.message, ei?.el, ei ? at : undefined, ei ? { kind: 'element', eid: at! } : undefined);
  }
}

function depth(r: Run, key: string): number {
  let d = 0;
  for (let cur = key ? r.ei(key) : undefined; cur; cur = cur.parent ? r.ei(cur.parent) : undefined) d++;
  return d;
}

/** Runs the agenda, then joins, conditions and scope completions, until nothing moves. */
function settle(r: Run): void {
  for (;;) {
    r.drainAgendaGuarded(guarded);
    if (r.s.status !== 'active') return;
    if (r.variablesChanged) {
      r.variablesChanged = false;
      guarded(r, null, () => checkConditions(r));
    }
    if (r.pendingJoins.size) guarded(r, null, () => checkPendingJoins(r));
    if (r.hasAgenda()) continue;
    // Inner scopes first; stop as soon as one moves a token on, so no scope is judged empty
    // while a token bound for it is still queued.
    for (const key of [...r.dirtyScopes].sort((a, b) => depth(r, b) - depth(r, a))) {
      r.dirtyScopes.delete(key);
      guarded(r, key || null, () => checkScope(r, key));
      if (r.hasAgenda()) break;
    }
    if (r.hasAgenda() || r.dirtyScopes.size || r.pendingJoins.size) continue;
    return;
  }
}
