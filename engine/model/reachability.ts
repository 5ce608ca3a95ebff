// For an inclusive (or complex) join: which nodes of the same scope can still send it a token
// without passing through it. The join fires when no token sits on any of them — BPMN 2.0
// §13.4.3: "no token ... can reach an incoming flow that has no token yet".
import type { ProcessGraph } from './graph.js';

export function computeUpstream(g: ProcessGraph): Record<string, Set<string>> {
  // Backward adjacency: target -> sources. A boundary event's tokens come from its host activity.
  const back = new Map<string, string[]>();
  const add = (to: string, from: string) => {
    const list = back.get(to);
    if (list) list.push(from);
    else back.set(to, [from]);
  };
  for (const f of Object.values(g.flows)) if (f.source && f.target) add(f.target, f.source);
  for (const n of Object.values(g.nodes)) if (n.type === 'boundaryEvent' && n.attachedTo) add(n.id, n.attachedTo);

  const upstream: Record<string, Set<string>> = {};
  for (const j of Object.values(g.nodes)) {
    if ((j.type !== 'inclusiveGateway' && j.type !== 'complexGateway') || j.incoming.length < 2) continue;
    const seen = new Set<string>();
    const queue = [...(back.get(j.id) ?? [])];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (id === j.id || seen.has(id)) continue;
      seen.add(id);
      for (const s of back.get(id) ?? []) queue.push(s);
    }
    upstream[j.id] = seen;
  }
  return upstream;
}
