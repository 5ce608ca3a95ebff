// Throwing events: intermediate throw events and end events (BPMN 2.0 §13.5).
import type { Node } from '../model/graph.js';
import { Run, scopeKey } from './run.js';
import { complete, enter, terminateChildren } from './flow.js';
import { job, publish, sendNotification } from './behaviours.js';
import { throwError, throwEscalation } from './propagation.js';
import { startCompensation } from './compensation.js';
import { deliverSignalLocally } from './signals.js';

export function throwEvent(r: Run, eid: string, n: Node): void {
  // Zeebe: a message throw event with a task definition is done by a job worker, like a send task.
  if (n.job) return job(r, eid, n);
  if (n.notify) sendNotification(r, eid, n);
  const defs = n.events ?? [{ kind: 'none' as const }];
  const scope = r.ei(eid).parent;
  for (const d of defs) {
    switch (d.kind) {
      case 'none':
        break;
      case 'message':
        publish(r, eid, n, d.name ?? '', d.correlationKey ? String(r.evaluate(d.correlationKey, eid)) : undefined);
        break;
      case 'signal': {
        // As with messages, only the thrower's own variables travel with a signal.
        r.effect({ type: 'broadcastSignal', name: d.name ?? '', variables: { ...(r.ei(eid).vars ?? {}) }, el: n.id });
        r.later(() => deliverSignalLocally(r, d.name ?? '', {}));
        break;
      }
      case 'error':
        r.later(() => throwError(r, eid, d.code, undefined));
        return;
      case 'escalation':
        // The thrower goes on unless an interrupting catch ended it (then complete() finds nothing).
        r.later(() => {
          throwEscalation(r, eid, d.code);
          if (r.ei(eid)) complete(r, eid);
        });
        return;
      case 'compensate':
        startCompensation(r, eid, d.activityRef);
        return;
      case 'terminate':
        // The end event itself completes; everything else in its scope is terminated.
        r.later(() => {
          r.emit({ type: 'element.completed', eid, el: n.id });
          terminateChildren(r, scope);
          r.dirtyScopes.add(scopeKey(scope));
        });
        return;
      case 'cancel':
        startCompensation(r, eid, undefined, true);
        return;
      case 'link': {
        const target = r.g.links[`${scope ?? ''}|${d.name}`];
        r.emit({ type: 'element.completed', eid, el: n.id });
        if (target) r.later(() => enter(r, r.node(target), scope));
        return;
      }
      default:
        break;
    }
  }
  r.later(() => complete(r, eid));
}
