// Load-time checks of a statechart module, so unsupported input is rejected when the machine
// is deployed, never at run time (shared/DESIGN.md §3).
import type { AnyStateMachine } from 'xstate';
import type { Diagnostic } from '../types.js';
import { parseDateTime, parseDuration } from '../time/index.js';
import { completeEventOf } from './tasks.js';

type Node = AnyStateMachine['root'];

const CALENDARS = ['calendar-days', 'working-days', 'school-days'];
const STRING_FIELDS = ['name', 'assignee', 'assigneeVariable', 'formKey', 'authorVariable', 'dueIn', 'dueVariable', 'calendar', 'completeEvent'];
const LIST_FIELDS = ['candidateGroups', 'candidateUsers', 'signoffRoles'];

export function checkMachine(machine: AnyStateMachine): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, node: Node, message: string) => out.push({ code, elementId: node.id, message });
  const walk = (node: Node): void => {
    if (node.invoke.length > 0) report('unsupported-invoke', node, `State ${node.id} invokes an actor; invoked actors live in memory and do not survive between steps. Model the work as a task state or a delayed event`);
    const meta = node.meta as Record<string, unknown> | undefined;
    if (meta && 'task' in meta) checkTask(node, meta.task, report);
    for (const child of Object.values(node.states) as Node[]) walk(child);
  };
  if (!machine.id) out.push({ code: 'machine-without-id', message: 'The machine has no id; its id is the definition key' });
  walk(machine.root);
  return out;
}

function checkTask(node: Node, task: unknown, report: (code: string, node: Node, message: string) => void): void {
  if (typeof task !== 'object' || task === null || Array.isArray(task)) {
    report('task-meta-invalid', node, `meta.task of ${node.id} must be an object`);
    return;
  }
  const t = task as Record<string, unknown>;
  for (const key of STRING_FIELDS) {
    if (t[key] !== undefined && (typeof t[key] !== 'string' || t[key] === '')) report('task-meta-invalid', node, `meta.task.${key} of ${node.id} must be a non-empty string`);
  }
  for (const key of LIST_FIELDS) {
    const v = t[key];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) report('task-meta-invalid', node, `meta.task.${key} of ${node.id} must be a list of strings`);
  }
  if (t.names !== undefined && (typeof t.names !== 'object' || t.names === null || Object.values(t.names).some((v) => typeof v !== 'string'))) {
    report('task-meta-invalid', node, `meta.task.names of ${node.id} must map languages (cy, en) to names`);
  }
  if (Array.isArray(t.signoffRoles) && t.signoffRoles.length === 0) report('signoff-without-roles', node, `Joint sign-off on ${node.id} names no roles`);
  if (typeof t.dueIn === 'string' && !parseDuration(t.dueIn).ok && !parseDateTime(t.dueIn).ok) {
    report('invalid-due-date', node, `meta.task.dueIn of ${node.id} ("${t.dueIn}") is neither an ISO-8601 duration nor a date`);
  }
  if (typeof t.calendar === 'string' && !CALENDARS.includes(t.calendar)) report('unknown-calendar', node, `Task ${node.id} names calendar "${t.calendar}"; use ${CALENDARS.join(', ')}`);
  const event = completeEventOf(typeof t.completeEvent === 'string' ? { completeEvent: t.completeEvent } : undefined);
  if (event.startsWith('xstate.')) {
    report('reserved-event', node, `Task ${node.id} completes with ${event}, an xstate event name`);
  } else if (!handles(node, event)) {
    report('task-never-completes', node, `Task ${node.id} completes by sending ${event}, but no state around, at or inside ${node.id} takes ${event}`);
  }
}

/** Whether the node, a state around it or a state inside it has a transition for `event` (or for any event, `*`). */
function handles(node: Node, event: string): boolean {
  const has = (n: Node) => n.transitions.has(event) || n.transitions.has('*');
  for (let n: Node | undefined = node; n; n = n.parent) if (has(n)) return true;
  const inside = (n: Node): boolean => (Object.values(n.states) as Node[]).some((c) => has(c) || inside(c));
  return inside(node);
}
