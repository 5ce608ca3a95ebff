// Errors and escalations travel outward through the scopes to the nearest matching catch:
// at each level the activity's boundary events, then the enclosing scope's event
// sub-processes; an exact code beats a catch-all at the same level (BPMN 2.0 §10.5.6).
import type { ElementInstance } from '../types.js';
import type { Node } from '../model/graph.js';
import { isActivity } from '../model/compile.js';
import { Run, scopeKey } from './run.js';
import { enter, failInstance, terminate, terminateChildren, closeOwned } from './flow.js';
import { startEventOf } from './catching.js';

type Kind = 'error' | 'escalation';

interface Catch {
  /** A boundary event on `host`, or an event sub-process start inside `scope`. */
  boundary?: string;
  host?: string;
  start?: Node;
  scope?: string | null;
}

function matches(codes: Array<string | undefined>, code: string | undefined): { exact: number; any: number } {
  return { exact: codes.findIndex((c) => c !== undefined && c === code), any: codes.findIndex((c) => c === undefined) };
}

function boundaryCatch(r: Run, host: ElementInstance, kind: Kind, code: string | undefined): string | undefined {
  const n = r.node(host.el);
  const cands = n.boundaries.map((b) => r.node(b)).filter((b) => b.events?.[0]?.kind === kind);
  const m = matches(cands.map((b) => b.events![0].code), code);
  const i = m.exact >= 0 ? m.exact : m.any;
  return i >= 0 ? cands[i].id : undefined;
}

function eventSubCatch(r: Run, scope: string | null, kind: Kind, code: string | undefined): Node | undefined {
  const esps = scope === null ? r.g.eventSubProcesses : r.node(r.ei(scope).el).eventSubProcesses ?? [];
  const starts = esps.map((id) => startEventOf(r, id)).filter((s): s is Node => !!s && s.events?.[0]?.kind === kind);
  const m = matches(starts.map((s) => s.events![0].code), code);
  const i = m.exact >= 0 ? m.exact : m.any;
  return i >= 0 ? starts[i] : undefined;
}

const isInner = (r: Run, ei: ElementInstance) => !!ei.parent && r.ei(ei.parent)?.el === ei.el;

function findCatch(r: Run, from: string, kind: Kind, code: string | undefined): Catch | undefined {
  let cur: ElementInstance | undefined = r.ei(from);
  while (cur) {
    const n = r.node(cur.el);
    // The thrower's own boundary events catch only when the thrower is an activity (a job or a script threw).
    if (isActivity(n.type) && !isInner(r, cur)) {
      const b = boundaryCatch(r, cur, kind, code);
      if (b) return { boundary: b, host: cur.id };
    }
    const scope: string | null = cur.parent;
    const parentEi: ElementInstance | undefined = scope ? r.ei(scope) : undefined;
    if (!parentEi || !isInner(r, cur)) {
      const start = eventSubCatch(r, scope, kind, code);
      if (start) return { start, scope };
    }
    cur = parentEi;
  }
  return undefined;
}

export function throwError(r: Run, from: string, code: string | undefined, message: string | undefined): void {
  if (!r.ei(from)) return;
  const c = findCatch(r, from, 'error', code);
  if (!c) {
    const el = r.ei(from).el;
    if (r.s.calledBy) {
      // The calling instance's call activity takes the error on; this instance ends.
      for (const child of r.children(null)) terminate(r, child.id);
      closeOwned(r, null);
      r.emit({ type: 'instance.terminated', reason: `error ${code ?? ''} propagated to the calling instance` });
      r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'error', code, message });
      return;
    }
    failInstance(r, code ?? 'error', message ?? `Error ${code ?? '(no code)'} thrown by ${el} was not caught`, el);
    return;
  }
  const vars = errorVariables(r, c, code, message);
  interruptAndCatch(r, c);
  if (vars) r.propagate(c.host ? null : c.scope ?? null, vars);
}

function errorVariables(r: Run, c: Catch, code: string | undefined, message: string | undefined): Record<string, unknown> | undefined {
  const d = (c.boundary ? r.node(c.boundary) : c.start)?.events?.[0];
  if (!d) return undefined;
  const vars: Record<string, unknown> = {};
  if (d.errorCodeVariable) vars[d.errorCodeVariable] = code ?? null;
  if (d.errorMessageVariable) vars[d.errorMessageVariable] = message ?? null;
  return Object.keys(vars).length ? vars : undefined;
}

/** Escalations that nobody catches are recorded and the thrower goes on. */
export function throwEscalation(r: Run, from: string, code: string | undefined): void {
  const c = findCatch(r, from, 'escalation', code);
  r.emit({ type: 'escalation.thrown', code: code ?? '', el: r.ei(from).el, caught: !!c });
  if (!c) {
    if (r.s.calledBy) r.effect({ type: 'notifyParent', parent: r.s.calledBy, outcome: 'escalation', code });
    return;
  }
  const n = c.boundary ? r.node(c.boundary) : c.start!;
  if (n.interrupting === false) {
    if (c.boundary) enter(r, n, r.ei(c.host!).parent);
    else enter(r, r.node(n.scope!), c.scope ?? null, undefined, undefined, { triggered: n.id });
    return;
  }
  interruptAndCatch(r, c);
}

function interruptAndCatch(r: Run, c: Catch): void {
  if (c.boundary) {
    const host = r.ei(c.host!);
    const scope = host.parent;
    terminate(r, host.id);
    enter(r, r.node(c.boundary), scope);
    return;
  }
  const scope = c.scope ?? null;
  closeOwned(r, scope);
  terminateChildren(r, scope);
  enter(r, r.node(c.start!.scope!), scope, undefined, undefined, { triggered: c.start!.id });
  r.dirtyScopes.add(scopeKey(scope));
}
