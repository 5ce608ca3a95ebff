// Notifications from a statechart. `notify({ template, toRoles })` is an xstate action that
// does nothing when run; the engine finds it in the actions a pure transition returns and
// turns it into the effect `{ type: 'notify', template, toRoles }`, the same as BPMN's.
import type { Effect, Variables } from '../types.js';

export interface NotifySpec {
  /** Message template id (workflows/ holds each template in cy and en). */
  template: string;
  /** Roles whose holders on the case receive it. */
  toRoles: string[];
  /** Values the template may use (must be JSON). */
  data?: Variables;
}

/** A fixed notification, or one computed from the machine's context and the event. */
export type NotifyInput<TContext = any, TEvent = any> = NotifySpec | ((args: { context: TContext; event: TEvent }) => NotifySpec);

/** The action function xstate stores; it carries its spec under a private key. */
export type NotifyAction = ((args: { context: unknown; event: unknown }, params: unknown) => void) & { readonly [NOTIFY]?: NotifyInput };

const NOTIFY: unique symbol = Symbol.for('camau.notify');

/** An xstate action requesting a notification, e.g. `entry: notify({ template: 'plan-ready', toRoles: ['governor'] })`. */
export function notify<TContext = any, TEvent = any>(spec: NotifyInput<TContext, TEvent>): NotifyAction {
  const action = function camauNotify(): void {
    // Performed by the runtime from the effect, never in the machine.
  };
  Object.defineProperty(action, NOTIFY, { value: spec, enumerable: false });
  return action as NotifyAction;
}

/** The notify effect for an executable action from transition(), or undefined if it is not one of ours. */
export function notifyEffect(action: { exec?: unknown; info?: { context?: unknown; event?: unknown } }): Extract<Effect, { type: 'notify' }> | undefined {
  const exec = action.exec as NotifyAction | undefined;
  const input = typeof exec === 'function' ? exec[NOTIFY] : undefined;
  if (!input) return undefined;
  const spec = typeof input === 'function' ? input({ context: action.info?.context, event: action.info?.event }) : input;
  const effect: Extract<Effect, { type: 'notify' }> = { type: 'notify', template: spec.template, toRoles: [...spec.toRoles] };
  if (spec.data !== undefined) effect.data = JSON.parse(JSON.stringify(spec.data)) as Variables;
  return effect;
}
