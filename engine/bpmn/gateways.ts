// Gateways (BPMN 2.0 §13.3): exclusive, parallel, inclusive (split and join), complex and
// event-based. Joins are held in state.joins until they fire; see flow.arrive().
import type { Node } from '../model/graph.js';
import { IncidentSignal, Run, scopeKey } from './run.js';
import { arrive, enter } from './flow.js';
import { openGatewayTargets } from './catching.js';

export function gateway(r: Run, eid: string, n: Node): void {
  const scope = r.ei(eid).parent;
  switch (n.type) {
    case 'exclusiveGateway': {
      // First flow (in document order) whose condition is true; otherwise the default.
      const f = n.outgoing.map((id) => r.g.flows[id]).find((fl) => fl.id !== n.defaultFlow && (!fl.condition || r.evaluate(fl.condition, scope) === true));
      const chosen = f?.id ?? n.defaultFlow;
      if (!chosen) throw new IncidentSignal('no-outgoing-flow', `No condition of exclusive gateway ${n.id} is true and it has no default flow`, eid);
      return completeGateway(r, eid, [chosen]);
    }
    case 'parallelGateway':
      // Conditions on a parallel gateway's flows are ignored, as in Camunda and the BPMN tests.
      return completeGateway(r, eid, n.outgoing);
    case 'inclusiveGateway':
    case 'complexGateway': {
      const chosen = n.outgoing.filter((id) => id !== n.defaultFlow && (!r.g.flows[id].condition || r.evaluate(r.g.flows[id].condition!, scope) === true));
      if (chosen.length === 0 && n.defaultFlow) chosen.push(n.defaultFlow);
      if (chosen.length === 0) throw new IncidentSignal('no-outgoing-flow', `No condition of ${n.type === 'inclusiveGateway' ? 'inclusive' : 'complex'} gateway ${n.id} is true and it has no default flow`, eid);
      return completeGateway(r, eid, chosen);
    }
    case 'eventBasedGateway':
      r.emit({ type: 'element.waiting', eid, wait: { kind: 'eventGateway' } });
      openGatewayTargets(r, eid, n);
      return;
    default:
      return;
  }
}

function completeGateway(r: Run, eid: string, flows: string[]): void {
  const ei = r.ei(eid);
  r.emit({ type: 'element.completed', eid, el: ei.el });
  for (const id of flows) {
    const f = r.g.flows[id];
    r.emit({ type: 'flow.taken', flow: id, scope: ei.parent });
    r.later(() => arrive(r, f.target, ei.parent, id));
  }
}

/**
 * Inclusive and complex joins fire when no token that could still reach them remains in their
 * scope (BPMN 2.0 §13.3.4). Checked when the agenda is empty, so every token has come to rest.
 */
export function checkPendingJoins(r: Run): void {
  for (const key of [...r.pendingJoins]) {
    r.pendingJoins.delete(key);
    const arrived = r.s.joins[key];
    if (!arrived) continue;
    const sep = key.lastIndexOf('|');
    const scope = key.slice(0, sep) || null;
    const n = r.node(key.slice(sep + 1));
    if (n.type === 'complexGateway' && n.activationCondition) {
      complexJoin(r, n, scope, key);
      continue;
    }
    if (tokensUpstream(r, n, scope, key)) continue;
    const consumed = Object.fromEntries(Object.keys(arrived).filter((f) => f !== '#fired').map((f) => [f, 1]));
    r.emit({ type: 'join.fired', key, consumed });
    enter(r, n, scope);
    if (r.s.joins[key]) r.pendingJoins.add(key);
  }
}

function tokensUpstream(r: Run, n: Node, scope: string | null, key: string): boolean {
  const up = r.g.upstream[n.id];
  if (!up) return false;
  for (const child of r.children(scope)) if (up.has(child.el)) return true;
  const prefix = `${scopeKey(scope)}|`;
  for (const k of Object.keys(r.s.joins)) {
    if (k !== key && k.startsWith(prefix) && up.has(k.slice(prefix.length))) return true;
  }
  return false;
}

/**
 * A complex gateway fires once its activation condition holds (activationCount = tokens arrived);
 * the tokens that arrive after that, until no more can, are absorbed and reset the gateway.
 */
function complexJoin(r: Run, n: Node, scope: string | null, key: string): void {
  const arrived = r.s.joins[key];
  const fired = (arrived['#fired'] ?? 0) > 0;
  const count = Object.entries(arrived).filter(([f]) => f !== '#fired').reduce((a, [, c]) => a + c, 0);
  if (!fired) {
    if (r.evaluate(n.activationCondition!, scope, { activationCount: count }) === true) {
      r.emit({ type: 'join.arrived', key, flow: '#fired' });
      enter(r, n, scope);
    }
  }
  if (!tokensUpstream(r, n, scope, key) && r.s.joins[key]?.['#fired']) {
    r.emit({ type: 'join.fired', key, consumed: { ...r.s.joins[key] } });
  }
}
