// Signals and messages inside one instance. Fan-out to other instances is the runtime's job:
// the engine returns a broadcastSignal effect and says which subscriptions a signal matches.
import type { InstanceState, Subscription, Variables } from '../types.js';
import { Run } from './run.js';
import { trigger } from './catching.js';

/** Subscriptions of an instance that a signal of this name reaches. */
export function signalSubscriptions(state: InstanceState, name: string): Subscription[] {
  return Object.values(state.subs).filter((s) => s.kind === 'signal' && s.name === name);
}

/** Subscriptions of an instance that a message correlates to (by name, and by key when the subscription has one). */
export function messageSubscriptions(state: InstanceState, name: string, correlationKey?: string): Subscription[] {
  return Object.values(state.subs).filter((s) => s.kind === 'message' && s.name === name && (s.correlationKey === undefined || s.correlationKey === correlationKey));
}

/** A signal thrown in this instance reaches every subscription open at the moment it is thrown. */
export function deliverSignalLocally(r: Run, name: string, vars: Variables): number {
  const subs = signalSubscriptions(r.s, name);
  for (const sub of subs) {
    if (!r.s.subs[sub.id]) continue;
    closeIfInterrupting(r, sub);
    trigger(r, sub, vars);
  }
  return subs.length;
}

export function closeIfInterrupting(r: Run, sub: Subscription): void {
  // Non-interrupting boundary and event sub-process subscriptions stay open for the next signal or message.
  if (sub.interrupting === false && r.node(sub.el).type !== 'intermediateCatchEvent') return;
  if (r.s.subs[sub.id]) r.emit({ type: 'subscription.closed', id: sub.id });
}
