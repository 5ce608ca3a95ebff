// Drives one BPMN instance through step() directly, command by command, for behaviour the
// scenario format cannot express (resolving incidents, firing cancelled timers, setting
// variables). Every accepted step is checked against replay: folding the events so far must
// give exactly the state step() returned.
import { step } from '../../engine/step.js';
import { replay } from '../../engine/bpmn/apply.js';
import type { BpmnDefinition } from '../../engine/bpmn/step.js';
import type { Command, ElementInstance, EngineEvent, Failure, InstanceState, StepOutput } from '../../engine/types.js';
import { loadDefinitions, modelPath } from './scenarios.js';

export class Driver {
  state: InstanceState | null = null;
  readonly events: EngineEvent[] = [];

  constructor(readonly def: BpmnDefinition, public now = '2026-01-01T00:00:00.000Z') {}

  static async forModel(model: string, process?: string, now?: string): Promise<Driver> {
    const defs = await loadDefinitions(modelPath(model));
    const def = process ? defs.find((d) => d.ref.key === process) : defs[0];
    if (!def) throw new Error(`no process ${process ?? ''} in ${model}`);
    return new Driver(def, now);
  }

  get s(): InstanceState {
    if (!this.state) throw new Error('not started');
    return this.state;
  }

  /** Sends a command; returns the step's output or its failure, and keeps the state when it was accepted. */
  trySend(cmd: Command): { ok: true; out: StepOutput } | { ok: false; failure: Failure } {
    const res = step(this.def, this.state, cmd, { now: this.now });
    if (!res.ok) return { ok: false, failure: res.failure };
    this.state = res.value.state;
    this.events.push(...res.value.events);
    const replayed = JSON.stringify(replay(this.events));
    if (replayed !== JSON.stringify(this.state)) throw new Error(`replay mismatch after ${cmd.type}`);
    return { ok: true, out: res.value };
  }

  send(cmd: Command): StepOutput {
    const r = this.trySend(cmd);
    if (!r.ok) throw new Error(`${cmd.type} rejected: ${r.failure.code} ${r.failure.message}`);
    return r.out;
  }

  /** Open element instances of an element id, oldest first. */
  at(el: string): ElementInstance[] {
    return Object.values(this.s.elements)
      .filter((e) => e.el === el)
      .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  }

  /** The only open element instance of `el` that holds a wait. */
  waiting(el: string): ElementInstance {
    const w = this.at(el).filter((e) => e.wait && e.wait.kind !== 'scope');
    if (w.length !== 1) throw new Error(`expected one waiting ${el}, found ${w.length}`);
    return w[0];
  }

  complete(el: string, variables?: Record<string, unknown>): StepOutput {
    return this.send({ type: 'complete', eid: this.waiting(el).id, ...(variables ? { variables } : {}) });
  }
}
