// One step of a statechart instance: a private draft of the state, the events and effects
// produced so far, and the machine's live snapshot. Every change goes through emit(), which
// applies the event to the draft, so the events alone always reproduce the state.
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import type { Effect, EngineEvent, Failure, InstanceState, StepContext, TimerInfo, UserTaskInfo, Variables } from '../types.js';
import { applyInPlace } from '../bpmn/apply.js';
import { calendarDays, parseDateTime, parseDuration, type Calendar } from '../time/index.js';
import { persistSnapshot, restoreSnapshot, stateString } from './snapshot.js';
import { activeTasks, taskInfo, type TaskMeta } from './tasks.js';
import { exitedStates } from './exits.js';
import { dueAfter, machineEventOf, timerElement } from './timers.js';
import { notifyEffect } from './notify.js';
import { jsonCopy, jsonEqual } from './json.js';

type Actions = ReturnType<typeof transition>[1];

export class MachineRun {
  readonly events: EngineEvent[] = [];
  readonly effects: Effect[] = [];
  private live: AnyMachineSnapshot | undefined;

  constructor(
    readonly machine: AnyStateMachine,
    readonly s: InstanceState,
    readonly ctx: StepContext,
  ) {}

  emit(e: EngineEvent): void {
    applyInPlace(this.s, e);
    this.events.push(e);
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  /** A fresh id; the event that carries it keeps `state.next` past it on replay too. */
  alloc(prefix: 'e' | 't' | 'i'): string {
    return `${prefix}${this.s.next++}`;
  }

  /** The machine's snapshot, restored from the state once per step. */
  get snapshot(): AnyMachineSnapshot {
    return (this.live ??= restoreSnapshot(this.machine, this.s.machine ?? null));
  }

  /** Whether the machine, as it is now, takes the event (a transition with a target or actions). */
  accepts(event: EventObject): boolean {
    try {
      return this.snapshot.can(event);
    } catch {
      return true; // a guard that throws: let transition() report it
    }
  }

  /** The initial transition with `input`. */
  begin(input: Variables): Failure | undefined {
    let next: AnyMachineSnapshot, actions: Actions;
    try {
      [next, actions] = initialTransition(this.machine, input);
    } catch (e) {
      return machineThrew(this.machine.id, 'starting', e);
    }
    this.settle(next, actions, new Set(), undefined);
    return undefined;
  }

  /**
   * Sends the machine one event and maps what happened onto the shared model. `completing` is
   * the task whose completion sent it: that task completes whatever the machine does.
   */
  deliver(event: EventObject, completing?: string): Failure | undefined {
    const before = this.snapshot;
    const exited = exitedStates(this.machine, before, event);
    let next: AnyMachineSnapshot, actions: Actions;
    try {
      [next, actions] = transition(this.machine, before, event);
    } catch (e) {
      return machineThrew(this.machine.id, `handling ${event.type}`, e);
    }
    this.settle(next, actions, exited, completing);
    return undefined;
  }

  private settle(next: AnyMachineSnapshot, actions: Actions, exited: Set<string>, completing: string | undefined): void {
    this.live = next;
    const tasks = next.status === 'active' ? activeTasks(next) : new Map<string, TaskMeta>();
    // Tasks of states the machine left (or left and entered again).
    for (const ei of Object.values(this.s.elements)) {
      if (ei.id === completing) this.closeTask(ei.id, 'completed');
      else if (!tasks.has(ei.el) || exited.has(ei.el)) this.closeTask(ei.id, 'cancelled');
    }
    // Delayed events, cancellations and notifications, in the order xstate gave them.
    for (const a of actions) {
      const params = a.params as Record<string, unknown> | undefined;
      if (a.type === 'xstate.raise' && typeof params?.delay === 'number') {
        this.schedule(params.event as EventObject, String(params.id ?? (params.event as EventObject).type), params.delay);
      } else if (a.type === 'xstate.cancel' && params?.sendId !== undefined) {
        this.cancelTimers(String(params.sendId));
      } else {
        const n = notifyEffect(a);
        if (n) this.effect(n);
      }
    }
    this.mirrorContext(next.context);
    this.emit({ type: 'machine.transitioned', snapshot: persistSnapshot(this.machine, next), state: stateString(next.value) });
    // Tasks of states the machine is now in that have none open.
    const open = new Set(Object.values(this.s.elements).map((e) => e.el));
    for (const [el, meta] of tasks) if (!open.has(el)) this.openTask(el, meta);

    if (next.status === 'done') {
      this.closeAll();
      this.emit({ type: 'instance.completed' });
      if (this.s.calledBy) this.effect({ type: 'notifyParent', parent: this.s.calledBy, outcome: 'completed', variables: { ...this.s.vars } });
    } else if (next.status === 'error') {
      this.closeAll();
      const message = next.error instanceof Error ? next.error.message : String(next.error);
      this.emit({ type: 'instance.failed', code: 'machine-error', message });
      if (this.s.calledBy) this.effect({ type: 'notifyParent', parent: this.s.calledBy, outcome: 'error', code: 'machine-error', message });
    }
  }

  /** state.vars mirrors the machine's context: changed keys are set; a key the context dropped reads null. */
  private mirrorContext(context: unknown): void {
    const ctx = (typeof context === 'object' && context !== null ? context : {}) as Variables;
    const changed: Variables = {};
    for (const [k, v] of Object.entries(ctx)) {
      const value = jsonCopy(v);
      if (!(k in this.s.vars) || !jsonEqual(this.s.vars[k], value)) changed[k] = value;
    }
    for (const k of Object.keys(this.s.vars)) if (!(k in ctx) && this.s.vars[k] !== null) changed[k] = null;
    if (Object.keys(changed).length) this.emit({ type: 'variables.set', scope: null, variables: changed });
  }

  private schedule(event: EventObject, sendId: string, delay: number): void {
    const el = timerElement(this.machine, event);
    const timer: TimerInfo = { timerId: this.alloc('t'), el, owner: null, dueAt: dueAfter(this.ctx.now, delay), machineEvent: { event: jsonCopy(event), sendId } };
    this.emit({ type: 'timer.scheduled', timer });
    this.effect({ type: 'scheduleTimer', timerId: timer.timerId, dueAt: timer.dueAt, el });
  }

  private cancelTimers(sendId: string): void {
    for (const t of Object.values(this.s.timers)) {
      if (machineEventOf(t)?.sendId !== sendId) continue;
      this.emit({ type: 'timer.cancelled', timerId: t.timerId });
      this.effect({ type: 'cancelTimer', timerId: t.timerId });
    }
  }

  private openTask(el: string, meta: TaskMeta): void {
    const eid = this.alloc('e');
    this.emit({ type: 'element.activated', eid, el, parent: null });
    const task: UserTaskInfo = taskInfo(meta, this.s.vars);
    const due = this.dueDate(meta, el, eid);
    if (due) task.dueAt = due;
    this.emit({ type: 'element.waiting', eid, wait: { kind: 'userTask', task } });
    this.effect({ type: 'taskCreated', eid, el, task });
  }

  closeTask(eid: string, outcome: 'completed' | 'cancelled'): void {
    const el = this.s.elements[eid].el;
    this.emit(outcome === 'completed' ? { type: 'element.completed', eid, el } : { type: 'element.terminated', eid, el });
    this.effect({ type: 'taskClosed', eid, el, outcome });
  }

  /** Ends every open task and timer (the instance finished or was cancelled). */
  closeAll(): void {
    for (const eid of Object.keys(this.s.elements)) this.closeTask(eid, 'cancelled');
    for (const timerId of Object.keys(this.s.timers)) {
      this.emit({ type: 'timer.cancelled', timerId });
      this.effect({ type: 'cancelTimer', timerId });
    }
  }

  /** A task's due date; a problem with it raises an incident on the task, which stays open without one. */
  private dueDate(meta: TaskMeta, el: string, eid: string): string | undefined {
    if (meta.dueVariable) {
      const held = this.s.vars[meta.dueVariable];
      if (held === undefined || held === null) return undefined;
      const at = parseDateTime(String(held));
      if (at.ok) return at.value;
      return void this.raiseIncident('invalid-due-date', `Due date "${String(held)}" of ${el} (context ${meta.dueVariable}) is not an ISO-8601 date`, el, eid);
    }
    if (!meta.dueIn) return undefined;
    const d = parseDuration(meta.dueIn);
    if (d.ok) {
      const cal = this.calendar(meta.calendar);
      if (!cal) return void this.raiseIncident('calendar-not-loaded', `Calendar "${meta.calendar}" is not loaded for this case`, el, eid);
      const at = cal.add(this.ctx.now, d.value);
      if (!at.ok) return void this.raiseIncident('outside-calendar', at.message, el, eid);
      return at.value;
    }
    const at = parseDateTime(meta.dueIn);
    if (at.ok) return at.value;
    return void this.raiseIncident('invalid-due-date', `Due date "${meta.dueIn}" of ${el} is neither an ISO-8601 date nor a duration`, el, eid);
  }

  private calendar(id: string | undefined): Calendar | undefined {
    if (!id || id === 'calendar-days') return calendarDays;
    return this.ctx.host?.calendar?.(id);
  }

  private raiseIncident(code: string, message: string, el: string, eid: string): void {
    const incident = { id: this.alloc('i'), code, message, el, eid };
    this.emit({ type: 'incident.raised', incident });
    this.effect({ type: 'incidentRaised', incident });
  }
}

function machineThrew(machineId: string, doing: string, e: unknown): Failure {
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INVALID_COMMAND', message: `Machine ${machineId} threw while ${doing}: ${message}; nothing was changed`, details: { error: message } };
}
