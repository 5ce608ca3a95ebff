// Which active states an event's transitions leave. Comparing the active states before and
// after a step misses a state that is left and entered again (a re-entering self-transition);
// this follows xstate's rule for a transition's domain to find those too. Only the transitions
// the event itself enables are considered, not eventless or raised ones later in the macrostep.
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

type Node = AnyMachineSnapshot['_nodes'][number];

function isDescendant(child: Node, ancestor: Node): boolean {
  for (let p = child.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

function properAncestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** Ids of the active states that `event`'s enabled transitions exit. */
export function exitedStates(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): Set<string> {
  const exited = new Set<string>();
  let transitions;
  try {
    transitions = machine.getTransitionData(snapshot, event);
  } catch {
    return exited; // a guard that throws is reported by transition() itself
  }
  for (const t of transitions) {
    if (!t.target?.length) continue;
    // xstate v5's transition domain: the state whose active descendants the transition exits.
    let domain: Node | undefined;
    if (!t.reenter && t.target.every((n: Node) => n === t.source || isDescendant(n, t.source))) {
      domain = t.source;
    } else {
      const [head, ...tail] = [...t.target, t.source] as Node[];
      domain = properAncestors(head).find((a) => tail.every((n) => isDescendant(n, a)));
    }
    if (t.reenter && domain === t.source) exited.add(t.source.id);
    for (const node of snapshot._nodes) {
      if (!domain || isDescendant(node, domain)) exited.add(node.id);
    }
  }
  return exited;
}
