// A harness for statechart tests: runs commands through stepMachine, keeps the whole event
// log, and checks the replay invariant after every step (replay(events) == state).
import type { AnyStateMachine } from 'xstate';
import { apply, replay } from '../../../engine/bpmn/apply.js';
import { stepMachine, type MachineDefinition } from '../../../engine/statecharts/step.js';
import type { Command, Effect, EngineEvent, Failure, InstanceState, StepContext, StepOutput } from '../../../engine/types.js';
import { workingDays } from '../../../engine/time/index.js';
import { exampleReview } from '../../../workflows/machines/example-review.js';

export const NOW = '2026-11-02T09:00:00.000Z'; // a Monday
export const DAY = 24 * 60 * 60 * 1000;

export const workingDaysCalendar = workingDays(['2026-12-25', '2026-12-28', '2027-01-01'], { from: '2026-01-01', to: '2027-12-31' });

export function definition(machine: AnyStateMachine = exampleReview, version = 1): MachineDefinition {
  return { kind: 'xstate', ref: { kind: 'xstate', key: machine.id, version, hash: `hash-${machine.id}-${version}` }, machine };
}

export function context(now = NOW, calendars = true): StepContext {
  return { now, ...(calendars ? { host: { calendar: (id: string) => (id === 'working-days' ? workingDaysCalendar : undefined) } } : {}) };
}

export const at = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();

/** Folds events onto a state, as the runtime would on replay. */
function fold(state: InstanceState | null, events: EngineEvent[]): InstanceState {
  return state ? events.reduce(apply, state) : replay(events);
}

export class Case {
  readonly log: EngineEvent[] = [];
  state: InstanceState | null = null;
  last: StepOutput | undefined;

  constructor(readonly def: MachineDefinition = definition(), public now = NOW, public calendars = true, readonly roundTrip = false) {}

  /** Runs a command that must succeed; checks the replay invariant. */
  run(cmd: Command): StepOutput {
    const r = this.try(cmd);
    if (!r.ok) throw new Error(`${cmd.type} failed: ${r.failure.code} ${r.failure.message}`);
    return r.value;
  }

  /** Runs a command; on success checks the replay invariant and keeps the new state. */
  try(cmd: Command): { ok: true; value: StepOutput } | { ok: false; failure: Failure } {
    const before = this.state;
    const frozen = before ? JSON.stringify(before) : null;
    const r = stepMachine(this.def, before, cmd, context(this.now, this.calendars));
    if (before) expect(JSON.stringify(before)).toBe(frozen); // the given state is never touched
    if (!r.ok) return r;
    const out = r.value;
    // Events and effects are plain JSON.
    expect(JSON.parse(JSON.stringify(out.events))).toEqual(out.events);
    expect(JSON.parse(JSON.stringify(out.effects))).toEqual(out.effects);
    // This step's events on the previous state, and the whole log from nothing, give the new state.
    expect(fold(before, out.events)).toEqual(out.state);
    this.log.push(...out.events);
    expect(replay(this.log)).toEqual(out.state);
    this.state = this.roundTrip ? (JSON.parse(JSON.stringify(out.state)) as InstanceState) : out.state;
    this.last = out;
    return r;
  }

  /** Runs a command that must fail; checks that nothing changed. */
  fail(cmd: Command): Failure {
    const before = this.state;
    const r = this.try(cmd);
    if (r.ok) throw new Error(`${cmd.type} should have failed, but gave ${r.value.events.map((e) => e.type).join(', ')}`);
    expect(this.state).toBe(before);
    return r.failure;
  }

  get s(): InstanceState {
    if (!this.state) throw new Error('not started');
    return this.state;
  }

  /** The eid of the open task on state node `el`. */
  task(el: string): string {
    const ei = Object.values(this.s.elements).find((e) => e.el === el);
    if (!ei) throw new Error(`no open task on ${el}; open: ${Object.values(this.s.elements).map((e) => e.el).join(', ')}`);
    return ei.id;
  }

  timers(): string[] {
    return Object.keys(this.s.timers);
  }
}

export const types = (events: EngineEvent[]) => events.map((e) => e.type);
export const ofType = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
