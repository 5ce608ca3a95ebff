// Compensation (BPMN 2.0 §10.5.7, §13.5.5): completed activities with a compensation handler
// are remembered per scope; a compensation throw runs their handlers, newest first, one at a
// time, and the thrower waits for them. A transaction's cancel end event compensates the
// transaction's work and then leaves through its cancel boundary event.
import type { ElementInstance } from '../types.js';
import type { Node } from '../model/graph.js';
import { Run, scopeKey } from './run.js';
import { complete, enter, terminate } from './flow.js';

type Handler = { kind: 'handler'; el: string } | { kind: 'eventSub'; sub: string; scope: string };

/** Called when an activity completes: remember it if it (or what it contains) can be compensated. */
export function registerCompensable(r: Run, ei: ElementInstance, n: Node): void {
  if (ei.data?.compensates) return;
  const inner = r.s.compensable?.[ei.id]?.length ?? 0;
  const espCompensation = (n.eventSubProcesses ?? []).some((id) => compensationStart(r, id));
  if (n.compensationHandler || inner > 0 || espCompensation) {
    r.emit({ type: 'compensation.registered', scope: scopeKey(ei.parent), el: n.id, eid: ei.id });
  }
}

function compensationStart(r: Run, esp: string): Node | undefined {
  return (r.node(esp).children ?? []).map((id) => r.node(id)).find((k) => k.type === 'startEvent' && k.events?.[0]?.kind === 'compensate');
}

/** The scope whose completed work a throw inside `eid` compensates. */
function compensationScope(r: Run, eid: string): string {
  for (let cur: ElementInstance | undefined = r.ei(r.ei(eid).parent ?? ''); cur; cur = cur.parent ? r.ei(cur.parent) : undefined) {
    if (typeof cur.data?.compensating === 'string') return cur.data.compensating;
    if (!r.node(cur.el).triggeredByEvent) return cur.id;
  }
  return '';
}

/** Handlers for the entries of a scope, newest first; a sub-process without its own handler compensates its contents. */
function handlersFor(r: Run, scope: string, only?: string): { handlers: Handler[]; consumed: Map<string, string[]> } {
  const handlers: Handler[] = [];
  const consumed = new Map<string, string[]>();
  const walk = (key: string, filter?: string) => {
    const entries = (r.s.compensable?.[key] ?? []).filter((e) => !filter || e.el === filter);
    if (entries.length) consumed.set(key, entries.map((e) => e.eid));
    for (const e of [...entries].reverse()) {
      const n = r.node(e.el);
      const esp = (n.eventSubProcesses ?? []).find((id) => compensationStart(r, id));
      if (n.compensationHandler) handlers.push({ kind: 'handler', el: n.compensationHandler });
      else if (esp) handlers.push({ kind: 'eventSub', sub: e.el, scope: e.eid });
      else walk(e.eid);
    }
  };
  walk(scope, only);
  return { handlers, consumed };
}

export function startCompensation(r: Run, eid: string, activityRef: string | undefined, cancelTransaction = false): void {
  const scope = compensationScope(r, eid);
  const { handlers, consumed } = handlersFor(r, scope, activityRef);
  for (const [key, eids] of consumed) r.emit({ type: 'compensation.consumed', scope: key, eids });
  const pending = handlers.map((h) => JSON.stringify(h));
  r.emit({ type: 'element.data', eid, data: { cancelTransaction } });
  r.emit({ type: 'element.waiting', eid, wait: { kind: 'compensation', pending } });
  r.later(() => nextHandler(r, eid));
}

function nextHandler(r: Run, thrower: string): void {
  const ei = r.ei(thrower);
  if (!ei || ei.wait?.kind !== 'compensation') return;
  const [first, ...rest] = ei.wait.pending;
  if (first === undefined) {
    r.emit({ type: 'element.resumed', eid: thrower });
    if (ei.data?.cancelTransaction) return cancelTransaction(r, thrower);
    complete(r, thrower);
    return;
  }
  r.emit({ type: 'element.waiting', eid: thrower, wait: { kind: 'compensation', pending: rest } });
  const h = JSON.parse(first) as Handler;
  const scope = ei.parent;
  if (h.kind === 'handler') {
    enter(r, r.node(h.el), scope, undefined, undefined, { compensates: thrower });
  } else {
    // Re-open the completed sub-process just to run its compensation event sub-process.
    const start = compensationStart(r, (r.node(h.sub).eventSubProcesses ?? []).find((id) => compensationStart(r, id))!)!;
    const spEid = r.alloc('e');
    r.emit({ type: 'element.activated', eid: spEid, el: h.sub, parent: scope });
    r.emit({ type: 'element.data', eid: spEid, data: { compensates: thrower, compensating: h.scope } });
    r.emit({ type: 'element.waiting', eid: spEid, wait: { kind: 'scope' } });
    enter(r, r.node(start.scope!), spEid, undefined, undefined, { triggered: start.id });
  }
}

export function compensationHandlerDone(r: Run, thrower: string): void {
  r.later(() => nextHandler(r, thrower));
}

/** After compensating, a cancel end event leaves its transaction through the cancel boundary event. */
function cancelTransaction(r: Run, thrower: string): void {
  let tx = r.ei(thrower).parent ? r.ei(r.ei(thrower).parent!) : undefined;
  while (tx && r.node(tx.el).type !== 'transaction') tx = tx.parent ? r.ei(tx.parent) : undefined;
  if (!tx) return complete(r, thrower);
  const txNode = r.node(tx.el);
  const b = txNode.boundaries.map((id) => r.node(id)).find((x) => x.events?.[0]?.kind === 'cancel');
  const scope = tx.parent;
  terminate(r, tx.id);
  if (b) enter(r, b, scope);
  else r.dirtyScopes.add(scopeKey(scope));
}
