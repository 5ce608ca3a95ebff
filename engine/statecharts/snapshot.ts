// The machine's persisted snapshot: plain JSON in `state.machine`, restored for each step
// without starting an actor (an actor would run xstate's in-memory timers).
import { createActor, type AnyMachineSnapshot, type AnyStateMachine, type Snapshot, type StateValue } from 'xstate';
import type { Json } from '../types.js';

/** The snapshot as JSON, the way the event `machine.transitioned` carries it. */
export function persistSnapshot(machine: AnyStateMachine, snapshot: AnyMachineSnapshot): Json {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as Json;
}

/** A live snapshot from its JSON; the JSON is copied so the machine never holds state's objects. */
export function restoreSnapshot(machine: AnyStateMachine, persisted: Json): AnyMachineSnapshot {
  const copy = JSON.parse(JSON.stringify(persisted)) as Snapshot<unknown>;
  return createActor(machine, { snapshot: copy }).getSnapshot() as AnyMachineSnapshot;
}

/** A readable state value: `drafting`, `review.drafting`, `a.x, b.y` for parallel regions. */
export function stateString(value: StateValue): string {
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const inner = stateString(child as StateValue);
    parts.push(...(inner === '' ? [key] : inner.split(', ').map((p) => `${key}.${p}`)));
  }
  return parts.join(', ');
}
