// Reminders and escalation on a user task (camau:reminder, camau:escalation) become standard
// BPMN: non-interrupting timer boundary events on the task, leading to a throw event that
// sends the notification and, for an escalation, a task for the escalation role. The history
// of a case therefore shows them as the boundary events they are.
import type { Diagnostic } from '../types.js';
import { parseDuration } from '../time/index.js';
import type { Flow, Node, ProcessGraph } from './graph.js';

const blank = (id: string, type: Node['type'], scope: string | null): Node => ({ id, type, scope, incoming: [], outgoing: [], boundaries: [], startQuantity: 1, completionQuantity: 1 });

export function synthesiseDeadlines(g: ProcessGraph, diag: (d: Diagnostic) => void): void {
  for (const task of Object.values(g.nodes)) {
    (task.deadlines ?? []).forEach((d, i) => {
      if (!parseDuration(d.period).ok) {
        diag({ code: 'timer-syntax', elementId: task.id, message: `The ${d.kind === 'escalation' ? 'escalation' : 'reminder'} period "${d.period}" of ${task.id} is not an ISO-8601 duration` });
        return;
      }
      if (d.kind !== 'every' && !task.userTask?.dueDate) {
        diag({ code: 'deadline-without-due-date', elementId: task.id, message: `${task.id} has a reminder or escalation counted from its due date, but no due date` });
        return;
      }
      const base = d.kind === 'escalation' ? `${task.id}__escalation` : `${task.id}__reminder${i + 1}`;
      const boundary: Node = {
        ...blank(base, 'boundaryEvent', task.scope),
        attachedTo: task.id,
        interrupting: false,
        events: [{
          kind: 'timer',
          timer: d.kind === 'every'
            ? { kind: 'cycle', value: `R/${d.period}`, calendar: d.calendar }
            : { kind: 'duration', value: d.period, calendar: d.calendar, relativeToDue: d.kind === 'before' ? -1 : 1 },
        }],
      };
      const notify: Node = { ...blank(`${base}_notify`, 'intermediateThrowEvent', task.scope), events: [{ kind: 'none' }], notify: { template: d.template, toRoles: d.toRoles, task: task.id } };
      const chain: Node[] = [boundary, notify];
      if (d.kind === 'escalation') {
        const names = task.userTask?.names;
        chain.push({
          ...blank(`${base}_task`, 'userTask', task.scope),
          name: `Escalated: ${names?.en ?? task.name ?? task.id}`,
          userTask: { candidateGroups: d.toRoles.join(','), names: { cy: `Wedi'i uwchgyfeirio: ${names?.cy ?? task.name ?? task.id}`, en: `Escalated: ${names?.en ?? task.name ?? task.id}` } },
        });
      }
      for (let k = 0; k < chain.length; k++) {
        g.nodes[chain[k].id] = chain[k];
        if (k === 0) continue;
        const f: Flow = { id: `${chain[k - 1].id}__to__${chain[k].id}`, source: chain[k - 1].id, target: chain[k].id };
        g.flows[f.id] = f;
        chain[k - 1].outgoing.push(f.id);
        chain[k].incoming.push(f.id);
      }
    });
  }
}
