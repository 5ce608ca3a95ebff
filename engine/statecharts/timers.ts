// Delayed events of a statechart become engine timers. xstate's pure transition() returns an
// `after` delay (or `raise(..., { delay })`) as the action `xstate.raise { event, id, delay }`
// and leaving the state as `xstate.cancel { sendId }`; the engine owns the timers, stores the
// event in the timer, and delivers it to the machine when the timer fires.
import type { AnyStateMachine, EventObject } from 'xstate';
import type { TimerInfo } from '../types.js';

/** What a statechart timer keeps in `TimerInfo.machineEvent`. */
export interface MachineTimerEvent {
  event: EventObject;
  sendId: string;
}

export function machineEventOf(timer: TimerInfo): MachineTimerEvent | undefined {
  const m = timer.machineEvent as Partial<MachineTimerEvent> | undefined;
  return m && typeof m === 'object' && m.event && typeof m.event.type === 'string' && typeof m.sendId === 'string' ? (m as MachineTimerEvent) : undefined;
}

type Node = AnyStateMachine['root'];

const owners = new WeakMap<AnyStateMachine, Map<string, string>>();

/** State node id owning each `after` event type of the machine (`xstate.after.<delay>.<node id>`). */
function afterOwners(machine: AnyStateMachine): Map<string, string> {
  let map = owners.get(machine);
  if (!map) {
    map = new Map();
    const walk = (node: Node): void => {
      for (const t of node.after) map!.set(String(t.eventType), node.id);
      for (const child of Object.values(node.states) as Node[]) walk(child);
    };
    walk(machine.root);
    owners.set(machine, map);
  }
  return map;
}

/** The element a delayed event's timer is shown against: the state whose `after` it is, else the machine. */
export function timerElement(machine: AnyStateMachine, event: EventObject): string {
  return afterOwners(machine).get(event.type) ?? machine.root.id;
}

/** `now` plus `delay` milliseconds, as an ISO instant. */
export function dueAfter(now: string, delay: number): string {
  return new Date(Date.parse(now) + Math.max(0, delay)).toISOString();
}
