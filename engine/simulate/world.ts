// An in-memory world of instances on a virtual clock: what the runtime does with effects
// (messages, signals, calls, timers), without a database or a queue. Deterministic, so
// scenarios and the conformance suite give the same result on every run.
import type { Command, Effect, EngineEvent, EngineHost, InstanceState, Variables } from '../types.js';
import type { CompiledBpmn } from '../model/graph.js';
import type { CompiledDecision, CompiledDmn } from '../dmn/index.js';
import { step, type Definition } from '../step.js';
import { replay } from '../bpmn/apply.js';
import { messageSubscriptions, signalSubscriptions } from '../bpmn/signals.js';

export interface SimInstance {
  id: string;
  alias?: string;
  def: Definition;
  state: InstanceState;
  events: EngineEvent[];
  /** Lines the host logged (script probes). */
  log: string[];
  /** Failures of commands sent to this instance. */
  errors: string[];
}

export interface TraceLine {
  at: string;
  instance: string;
  kind: string;
  [k: string]: unknown;
}

export class World {
  clock: string;
  readonly instances = new Map<string, SimInstance>();
  readonly trace: TraceLine[] = [];
  private defs = new Map<string, Definition[]>();
  /** The latest deployed version of each decision, by id: what business-rule tasks call. */
  private decisions = new Map<string, CompiledDecision>();
  private readonly engineHost: EngineHost;
  private counter = 0;
  private queue: Array<() => void> = [];
  private draining = false;

  constructor(clock: string, host: EngineHost = {}) {
    this.clock = clock;
    this.engineHost = { ...host, decision: (id) => this.decisions.get(id) ?? host.decision?.(id) };
  }

  /** Deploys the decisions of a DMN file; a decision deployed again replaces its earlier version. */
  deployDecisions(dmn: CompiledDmn): void {
    for (const [id, d] of Object.entries(dmn.decisions)) this.decisions.set(id, d);
  }

  /** Deploys every executable process of a compiled file (and its other processes, callable by key). */
  deploy(compiled: CompiledBpmn): string[] {
    const keys: string[] = [];
    for (const id of Object.keys(compiled.processes)) {
      const versions = this.defs.get(id) ?? [];
      const def: Definition = { kind: 'bpmn', compiled, ref: { kind: 'bpmn', key: id, version: versions.length + 1, hash: compiled.hash } };
      versions.push(def);
      this.defs.set(id, versions);
      keys.push(id);
    }
    return keys;
  }

  deployDefinition(def: Definition): void {
    const versions = this.defs.get(def.ref.key) ?? [];
    versions.push(def);
    this.defs.set(def.ref.key, versions);
  }

  definition(key: string, version?: number): Definition | undefined {
    const versions = this.defs.get(key);
    if (!versions) return undefined;
    return version === undefined ? versions[versions.length - 1] : versions.find((d) => d.ref.version === version);
  }

  start(key: string, variables: Variables = {}, opts: { alias?: string; startEventId?: string; calledBy?: { caseId: string; eid: string } } = {}): SimInstance | string {
    const def = this.definition(key);
    if (!def) return `No deployed process ${key}`;
    const id = `c${++this.counter}`;
    const inst: SimInstance = { id, alias: opts.alias, def, state: null as unknown as InstanceState, events: [], log: [], errors: [] };
    const res = step(def, null, { type: 'start', variables, ...(opts.startEventId ? { startEventId: opts.startEventId } : {}), ...(opts.calledBy ? { calledBy: opts.calledBy } : {}) }, this.ctx());
    if (!res.ok) return res.failure.message;
    this.instances.set(id, inst);
    this.record(inst, 'started', { process: key, variables });
    this.accept(inst, res.value.events, res.value.state, res.value.effects);
    this.drain();
    return inst;
  }

  /** Sends a command to an instance; returns the failure message, if any. */
  send(inst: SimInstance, cmd: Command): string | undefined {
    const res = step(inst.def, inst.state, cmd, this.ctx());
    if (!res.ok) {
      inst.errors.push(res.failure.message);
      this.record(inst, 'rejected', { command: cmd.type, code: res.failure.code, message: res.failure.message });
      return res.failure.message;
    }
    this.accept(inst, res.value.events, res.value.state, res.value.effects);
    this.drain();
    return undefined;
  }

  /** Moves the virtual clock to `to`, firing due timers of every instance in due order. */
  advanceTo(to: string): void {
    for (;;) {
      let next: { inst: SimInstance; timerId: string; dueAt: string } | undefined;
      for (const inst of this.instances.values()) {
        for (const t of Object.values(inst.state.timers)) {
          if (Date.parse(t.dueAt) > Date.parse(to)) continue;
          if (!next || Date.parse(t.dueAt) < Date.parse(next.dueAt)) next = { inst, timerId: t.timerId, dueAt: t.dueAt };
        }
      }
      if (!next) break;
      if (Date.parse(next.dueAt) > Date.parse(this.clock)) this.clock = new Date(Date.parse(next.dueAt)).toISOString();
      this.record(next.inst, 'timer', { timerId: next.timerId, el: next.inst.state.timers[next.timerId]?.el });
      this.send(next.inst, { type: 'fireTimer', timerId: next.timerId });
    }
    if (Date.parse(to) > Date.parse(this.clock)) this.clock = new Date(Date.parse(to)).toISOString();
  }

  /** Publishes a message: the first open subscription takes it, else a message start event starts an instance. */
  publish(name: string, correlationKey: string | undefined, variables: Variables, except?: string): boolean {
    for (const inst of this.instances.values()) {
      if (inst.id === except || inst.state.status !== 'active') continue;
      const sub = messageSubscriptions(inst.state, name, correlationKey)[0];
      if (sub) {
        this.send(inst, { type: 'correlateMessage', name, correlationKey, variables, subscriptionId: sub.id });
        return true;
      }
    }
    for (const [key, versions] of this.defs) {
      const def = versions[versions.length - 1];
      if (def.kind !== 'bpmn') continue;
      const g = def.compiled.processes[key];
      const start = g.children.map((id) => g.nodes[id]).find((n) =>
        (n.type === 'startEvent' && n.events?.some((e) => e.kind === 'message' && e.name === name)) ||
        (n.type === 'receiveTask' && n.instantiate && n.message?.name === name));
      if (start && g.executable) {
        this.start(key, variables, { startEventId: start.id });
        return true;
      }
    }
    return false;
  }

  broadcast(name: string, variables: Variables, except?: string): void {
    for (const inst of [...this.instances.values()]) {
      if (inst.id === except || inst.state.status !== 'active') continue;
      if (signalSubscriptions(inst.state, name).length) this.send(inst, { type: 'signal', name, variables });
    }
    for (const [key, versions] of this.defs) {
      const def = versions[versions.length - 1];
      if (def.kind !== 'bpmn') continue;
      const g = def.compiled.processes[key];
      const start = g.children.map((id) => g.nodes[id]).find((n) => n.type === 'startEvent' && n.events?.some((e) => e.kind === 'signal' && e.name === name));
      if (start && g.executable) this.start(key, variables, { startEventId: start.id });
    }
  }

  find(ref: string | undefined): SimInstance | undefined {
    if (ref === undefined) return [...this.instances.values()].filter((i) => !i.state.calledBy).pop() ?? [...this.instances.values()].pop();
    return [...this.instances.values()].find((i) => i.alias === ref || i.id === ref);
  }

  /** The instance and everything it called, transitively. */
  family(inst: SimInstance): SimInstance[] {
    const out = [inst];
    for (let i = 0; i < out.length; i++) {
      for (const other of this.instances.values()) if (other.state.calledBy?.caseId === out[i].id) out.push(other);
    }
    return out;
  }

  /** Replaying each instance's events gives its state (the engine's invariant). */
  checkReplay(): string[] {
    const broken: string[] = [];
    for (const inst of this.instances.values()) {
      if (JSON.stringify(replay(inst.events)) !== JSON.stringify(inst.state)) broken.push(inst.id);
    }
    return broken;
  }

  private ctx() {
    return { now: this.clock, host: this.engineHost };
  }

  private accept(inst: SimInstance, events: EngineEvent[], state: InstanceState, effects: Effect[]): void {
    inst.state = state;
    inst.events.push(...events);
    for (const e of events) {
      if (e.type === 'element.completed' || e.type === 'incident.raised' || e.type === 'instance.completed' || e.type === 'instance.failed' || e.type === 'instance.terminated') {
        this.record(inst, e.type, e.type === 'element.completed' ? { el: e.el } : e.type === 'incident.raised' ? { code: e.incident.code, message: e.incident.message } : {});
      }
    }
    for (const fx of effects) this.queue.push(() => this.perform(inst, fx));
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let work = this.queue.shift(); work; work = this.queue.shift()) work();
    } finally {
      this.draining = false;
    }
  }

  private perform(inst: SimInstance, fx: Effect): void {
    switch (fx.type) {
      case 'log':
        inst.log.push(fx.text);
        return;
      case 'publishMessage':
        this.publish(fx.name, fx.correlationKey, {}, inst.id);
        return;
      case 'broadcastSignal':
        this.broadcast(fx.name, {}, inst.id);
        return;
      case 'startCall': {
        const def = this.definition(fx.processKey, fx.binding === 'version' ? fx.version : undefined);
        if (!def) {
          this.send(inst, { type: 'callFailed', eid: fx.eid, message: `Called process ${fx.processKey} is not deployed` });
          return;
        }
        const child = this.start(fx.processKey, fx.variables, { calledBy: { caseId: inst.id, eid: fx.eid } });
        if (typeof child === 'string') this.send(inst, { type: 'callFailed', eid: fx.eid, message: child });
        return;
      }
      case 'cancelCall': {
        for (const other of this.instances.values()) {
          if (other.state.calledBy?.caseId === inst.id && other.state.calledBy.eid === fx.eid && other.state.status === 'active') this.send(other, { type: 'cancel', reason: 'call activity ended' });
        }
        return;
      }
      case 'notifyParent': {
        const parent = this.instances.get(fx.parent.caseId);
        if (!parent || parent.state.status !== 'active') return;
        const eid = fx.parent.eid;
        if (fx.outcome === 'completed') this.send(parent, { type: 'callEnded', eid, outcome: 'completed', variables: fx.variables });
        else if (fx.outcome === 'error') this.send(parent, { type: 'callEnded', eid, outcome: 'error', code: fx.code ?? '', message: fx.message });
        else if (fx.outcome === 'escalation') this.send(parent, { type: 'callEnded', eid, outcome: 'escalation', code: fx.code ?? '' });
        else if (parent.state.elements[eid]) this.send(parent, { type: 'callEnded', eid, outcome: 'terminated' });
        return;
      }
      default:
        return;
    }
  }

  record(inst: SimInstance, kind: string, data: Record<string, unknown>): void {
    this.trace.push({ at: this.clock, instance: inst.alias ?? inst.id, kind, ...data });
  }
}
