// step(definition, state, command, ctx) for XState v5 statecharts. The machine is driven only
// through xstate's pure initialTransition()/transition(); its persisted snapshot lives in
// `state.machine`. Task states, delayed events and notifications map onto the same elements,
// timers and effects as BPMN, so tasks, timers, audit, API and UI serve both kinds.
import type { AnyStateMachine, EventObject } from 'xstate';
import type { Command, DefinitionRef, Failure, InstanceState, Result, StepContext, StepOutput, UserTaskInfo } from '../types.js';
import { cloneState, initialState } from '../bpmn/apply.js';
import { signOff } from '../signoff/rules.js';
import { MachineRun } from './run.js';
import { machineEventOf } from './timers.js';
import { stateString } from './snapshot.js';
import { completeEventOf, taskMetaOf } from './tasks.js';
import { jsonCopy } from './json.js';
import { withCaseTime } from './case-time.js';

export interface MachineDefinition {
  kind: 'xstate';
  /** key = machine id, version, hash. */
  ref: DefinitionRef;
  /** Made with setup({...}).createMachine({...}) in a workflows/ module. */
  machine: AnyStateMachine;
}

const failure = (code: Failure['code'], message: string, details?: Record<string, unknown>): Failure => ({ code, message, ...(details ? { details } : {}) });

export function stepMachine(def: MachineDefinition, state: InstanceState | null, cmd: Command, ctx: StepContext): Result<StepOutput> {
  const pre = check(def, state, cmd);
  if (pre) return { ok: false, failure: pre };
  const r = new MachineRun(def.machine, state ? cloneState(state) : initialState(), ctx);
  // The machine's guards, delays and assignments may ask for the case's time (case-time.ts).
  const f = withCaseTime(ctx, () => dispatch(r, def, cmd));
  if (f) return { ok: false, failure: f };
  return { ok: true, value: { events: r.events, effects: r.effects, state: r.s } };
}

function check(def: MachineDefinition, state: InstanceState | null, cmd: Command): Failure | undefined {
  if (def.machine.id !== def.ref.key) return failure('INVALID_COMMAND', `Definition ${def.ref.key} v${def.ref.version} holds machine ${def.machine.id}`);
  if (cmd.type === 'start') {
    if (state && state.process) return failure('ALREADY_STARTED', 'The instance has already started');
    return undefined;
  }
  if (!state || !state.process) return failure('NOT_STARTED', 'The instance has not started');
  if (state.status !== 'active') return failure('INSTANCE_NOT_ACTIVE', `The instance is ${state.status}`);
  if (state.process !== def.machine.id) return failure('INVALID_COMMAND', `The instance runs ${state.process}, not machine ${def.machine.id}`);
  if (state.machine === undefined) return failure('INVALID_COMMAND', 'The instance has no machine snapshot');
  return undefined;
}

const notForMachines = (type: string, why: string): Failure =>
  failure('INVALID_COMMAND', `${type} does not apply to a statechart workflow: ${why}`, { command: type });

/** Event names the outside world may not send: xstate's own (delays, done, error events). */
const reserved = (name: string) => name.startsWith('xstate.');

function dispatch(r: MachineRun, def: MachineDefinition, cmd: Command): Failure | undefined {
  switch (cmd.type) {
    case 'start': {
      if (cmd.startEventId !== undefined) return failure('NO_START_EVENT', `A statechart has no start events (asked for ${cmd.startEventId}); it starts in its initial state`);
      const variables = { ...(cmd.variables ?? {}) };
      r.emit({ type: 'instance.started', process: def.machine.id, def: def.ref, variables, ...(cmd.calledBy ? { calledBy: cmd.calledBy } : {}) });
      return r.begin(jsonCopy(variables));
    }
    case 'complete': {
      const found = openTask(r, cmd.eid);
      if ('code' in found) return found;
      if (found.task.signoffRoles?.length) return failure('SIGNOFF_REJECTED', `${found.el} needs joint sign-off by ${found.task.signoffRoles.join(', ')}; use sign-off, not complete`);
      return completeTask(r, def, cmd.eid, found.el, cmd.variables ?? {});
    }
    case 'signOff': {
      const found = openTask(r, cmd.eid);
      if ('code' in found) return found;
      const res = signOff(found.task, { role: cmd.role, userId: cmd.userId, decision: cmd.decision, comment: cmd.comment, at: r.ctx.now });
      if (!res.ok) return res.failure;
      if (!res.value.outcome) {
        r.emit({ type: 'task.updated', eid: cmd.eid, task: res.value.task });
        return undefined;
      }
      const event = completionEvent(def, found.el, { ...(cmd.variables ?? {}), ...res.value.variables });
      if (!r.accepts(event)) return notTaken(found.el, cmd.eid, event);
      r.emit({ type: 'task.updated', eid: cmd.eid, task: res.value.task });
      return r.deliver(event, cmd.eid);
    }
    case 'fireTimer': {
      const t = r.s.timers[cmd.timerId];
      if (!t) return undefined; // cancelled or already fired: a no-op
      r.emit({ type: 'timer.fired', timerId: t.timerId });
      const m = machineEventOf(t);
      if (!m || !r.accepts(m.event)) return undefined;
      return r.deliver(m.event);
    }
    case 'correlateMessage':
    case 'signal': {
      const kind = cmd.type === 'signal' ? 'signal' : 'message';
      const event: EventObject = { ...(cmd.variables ?? {}), type: cmd.name };
      if (reserved(cmd.name) || !r.accepts(event)) {
        return failure('NO_SUBSCRIPTION', `Machine ${def.machine.id} in state ${stateOf(r)} does not take ${kind} "${cmd.name}"`, { name: cmd.name, state: stateOf(r) });
      }
      return r.deliver(event);
    }
    case 'cancel': {
      r.closeAll();
      for (const id of Object.keys(r.s.incidents)) r.emit({ type: 'incident.resolved', id });
      r.emit({ type: 'instance.terminated', ...(cmd.reason ? { reason: cmd.reason } : {}) });
      if (r.s.calledBy) r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'terminated' });
      return undefined;
    }
    case 'updateTask': {
      const found = openTask(r, cmd.eid);
      if ('code' in found) return found;
      const task = { ...found.task };
      if (cmd.assignee === null) delete task.assignee;
      else if (cmd.assignee !== undefined) task.assignee = cmd.assignee;
      r.emit({ type: 'task.updated', eid: cmd.eid, task });
      return undefined;
    }
    case 'resolveIncident': {
      if (!r.s.incidents[cmd.incidentId]) return failure('UNKNOWN_INCIDENT', `No open incident ${cmd.incidentId}`);
      r.emit({ type: 'incident.resolved', id: cmd.incidentId });
      return undefined;
    }
    case 'setVariables':
      return notForMachines('setVariables', "the variables are the machine's context; send the machine an event that assigns them");
    case 'throwError':
      return notForMachines('throwError', 'a statechart has no BPMN error boundaries; send the machine an event instead');
    case 'failJob':
      return notForMachines('failJob', 'a statechart runs no service-task jobs');
    case 'callEnded':
    case 'callFailed':
      return notForMachines(cmd.type, 'a statechart has no call activities');
  }
}

function stateOf(r: MachineRun): string {
  return stateString(r.snapshot.value);
}

/** The open user task `eid`, or the failure naming why there is none. */
function openTask(r: MachineRun, eid: string): { el: string; task: UserTaskInfo } | Failure {
  const ei = r.s.elements[eid];
  if (!ei) return failure('UNKNOWN_ELEMENT_INSTANCE', `No active element instance ${eid}`);
  if (ei.wait?.kind !== 'userTask') return failure('NOT_WAITING', `${ei.el} (${eid}) is not an open user task`);
  return { el: ei.el, task: ei.wait.task };
}

function completionEvent(def: MachineDefinition, el: string, variables: Record<string, unknown>): EventObject {
  let meta;
  try {
    meta = taskMetaOf(def.machine.getStateNodeById(el).meta);
  } catch {
    meta = undefined; // a state this version of the machine no longer has: the default event
  }
  return { ...variables, type: completeEventOf(meta) };
}

function notTaken(el: string, eid: string, event: EventObject): Failure {
  return failure('NOT_WAITING', `The machine does not take ${event.type} in its current state, so task ${el} (${eid}) cannot complete`, { event: event.type, el, eid });
}

function completeTask(r: MachineRun, def: MachineDefinition, eid: string, el: string, variables: Record<string, unknown>): Failure | undefined {
  const event = completionEvent(def, el, variables);
  if (!r.accepts(event)) return notTaken(el, eid, event);
  return r.deliver(event, eid);
}
