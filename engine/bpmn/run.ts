// One step's working context: a private draft of the state, the events and effects produced
// so far, and an agenda of work still to do. Every change goes through emit(), which applies
// the event to the draft, so the events alone always reproduce the state.
import type { Effect, ElementInstance, EngineEvent, Incident, InstanceState, StepContext, Variables } from '../types.js';
import { ExpressionError, type Expression } from '../expressions/index.js';
import { calendarDays, type Calendar } from '../time/index.js';
import type { CompiledBpmn, Node, ProcessGraph } from '../model/graph.js';
import { applyInPlace } from './apply.js';

/** Work a single step may do before it is judged to loop forever (a cycle with no wait state). */
export const STEP_LIMIT = 100_000;

/** Raised when a step exceeds STEP_LIMIT; the step is refused and nothing is written. */
export class StepLimitExceeded extends Error {}

/** Raised inside a step when an element cannot go on; the step turns it into an incident. */
export class IncidentSignal extends Error {
  constructor(public code: string, message: string, public eid?: string) {
    super(message);
  }
}

export class Run {
  readonly events: EngineEvent[] = [];
  readonly effects: Effect[] = [];
  private agenda: Array<() => void> = [];
  /** Scopes whose completion must be checked when the agenda is empty ('' = process level). */
  readonly dirtyScopes = new Set<string>();
  /** Inclusive / complex joins with arrivals, checked when the agenda is empty. */
  readonly pendingJoins = new Set<string>();
  /** Whether variables changed, so conditional events need evaluating. */
  variablesChanged = false;
  private work = 0;

  constructor(
    readonly def: CompiledBpmn,
    readonly g: ProcessGraph,
    readonly s: InstanceState,
    readonly ctx: StepContext,
  ) {}

  emit(e: EngineEvent): void {
    applyInPlace(this.s, e);
    this.events.push(e);
    if (e.type === 'variables.set') this.variablesChanged = true;
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  /** A fresh id; the event that carries it keeps `state.next` past it on replay too. */
  alloc(prefix: 'e' | 't' | 's' | 'i'): string {
    return `${prefix}${this.s.next++}`;
  }

  later(work: () => void): void {
    this.agenda.push(work);
  }

  hasAgenda(): boolean {
    return this.agenda.length > 0;
  }

  /** Runs queued work until none is left; `guard` turns a model failure in one item into an incident. */
  drainAgendaGuarded(guard: (r: Run, eid: string | null, work: () => void) => void): void {
    for (let work = this.agenda.shift(); work; work = this.agenda.shift()) {
      if (this.s.status !== 'active') return;
      if (++this.work > STEP_LIMIT) throw new StepLimitExceeded();
      guard(this, null, work);
    }
  }

  node(el: string): Node {
    const n = this.g.nodes[el];
    if (!n) throw new Error(`Unknown element ${el} in process ${this.g.id}`);
    return n;
  }

  ei(eid: string): ElementInstance {
    return this.s.elements[eid];
  }

  children(scope: string | null): ElementInstance[] {
    const out: ElementInstance[] = [];
    for (const e of Object.values(this.s.elements)) if (e.parent === scope) out.push(e);
    return out;
  }

  /** Variables visible from an element instance: its own, then each enclosing scope's, then the process's. */
  visible(eid: string | null): Variables {
    const chain: Variables[] = [];
    for (let cur = eid ? this.s.elements[eid] : undefined; cur; cur = cur.parent ? this.s.elements[cur.parent] : undefined) {
      if (cur.vars) chain.push(cur.vars);
    }
    if (chain.length === 0) return this.s.vars;
    const out: Variables = { ...this.s.vars };
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
    return out;
  }

  evaluate(expr: Expression, eid: string | null, extra?: Variables): unknown {
    const vars = extra ? { ...this.visible(eid), ...extra } : this.visible(eid);
    try {
      return expr.evaluate(vars, { now: this.ctx.now, calendar: (id) => this.ctx.host?.calendar?.(id) });
    } catch (e) {
      if (e instanceof ExpressionError) throw new IncidentSignal('expression-failed', `${expr.source}: ${e.message}`, eid ?? undefined);
      throw e;
    }
  }

  /** Sets variables where they already live (nearest enclosing scope from `from`), else on the process. */
  propagate(from: string | null, vars: Variables): void {
    const byScope = new Map<string | null, Variables>();
    for (const [name, value] of Object.entries(vars)) {
      let target: string | null = null;
      for (let cur = from ? this.s.elements[from] : undefined; cur; cur = cur.parent ? this.s.elements[cur.parent] : undefined) {
        if (cur.vars && name in cur.vars) { target = cur.id; break; }
      }
      const bucket = byScope.get(target) ?? {};
      bucket[name] = value;
      byScope.set(target, bucket);
    }
    for (const [scope, variables] of byScope) this.emit({ type: 'variables.set', scope, variables });
  }

  setLocal(eid: string, vars: Variables): void {
    if (Object.keys(vars).length > 0) this.emit({ type: 'variables.set', scope: eid, variables: vars });
  }

  calendar(id: string | undefined): Calendar {
    if (!id || id === 'calendar-days') return calendarDays;
    const cal = this.ctx.host?.calendar?.(id);
    if (!cal) throw new IncidentSignal('calendar-not-loaded', `Calendar "${id}" is not loaded for this case`);
    return cal;
  }

  raiseIncident(code: string, message: string, el?: string, eid?: string, retry?: Incident['retry']): void {
    const incident: Incident = { id: this.alloc('i'), code, message };
    if (el) incident.el = el;
    if (eid) incident.eid = eid;
    if (retry) incident.retry = retry;
    this.emit({ type: 'incident.raised', incident });
    this.effect({ type: 'incidentRaised', incident });
  }
}

export const scopeKey = (scope: string | null): string => scope ?? '';
export const joinKey = (scope: string | null, el: string): string => `${scope ?? ''}|${el}`;
