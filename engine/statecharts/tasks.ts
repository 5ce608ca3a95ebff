// User tasks of a statechart: a state node whose `meta.task` declares one, e.g.
//   meta: { task: { name: 'Draft plan', names: { cy: 'Drafftio', en: 'Draft plan' },
//                   candidateGroups: ['challenge-adviser'], dueIn: 'P10D', completeEvent: 'SUBMIT' } }
// While the machine is in that state the task is open; completing it sends `completeEvent`.
import type { AnyMachineSnapshot } from 'xstate';
import type { UserTaskInfo, Variables } from '../types.js';

export interface TaskMeta {
  /** Task name shown in the inbox (falls back to names.en, then names.cy). */
  name?: string;
  /** Bilingual names, `{ cy, en }`. */
  names?: Record<string, string>;
  assignee?: string;
  /** Context key holding the assignee's user id (the teacher a case is about), read when the task opens. */
  assigneeVariable?: string;
  candidateGroups?: string[];
  candidateUsers?: string[];
  formKey?: string;
  /** Roles that must each approve (joint sign-off); the task then completes through `signOff`. */
  signoffRoles?: string[];
  /** Context key holding the user id of whoever authored what is signed off (may not approve it). */
  authorVariable?: string;
  /** Due date: an ISO-8601 duration counted from entering the state, or an ISO date. */
  dueIn?: string;
  /**
   * Context key holding the due date the machine worked out itself (an ISO instant, or a local
   * date and time), for deadlines that depend on the case (the meeting's date, a setting).
   */
  dueVariable?: string;
  /** Calendar the duration counts in: `calendar-days` (default), `working-days`, `school-days`. */
  calendar?: string;
  /** Event sent to the machine when the task is completed; default `COMPLETE`. */
  completeEvent?: string;
}

export const DEFAULT_COMPLETE_EVENT = 'COMPLETE';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v] : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The task a state node's meta declares, if any (fields of the wrong type are ignored; `checkMachine` reports them). */
export function taskMetaOf(meta: unknown): TaskMeta | undefined {
  if (!isObject(meta) || !isObject(meta.task)) return undefined;
  const t = meta.task;
  const out: TaskMeta = {};
  for (const key of ['name', 'assignee', 'assigneeVariable', 'formKey', 'authorVariable', 'dueIn', 'dueVariable', 'calendar', 'completeEvent'] as const) {
    const v = text(t[key]);
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['candidateGroups', 'candidateUsers', 'signoffRoles'] as const) {
    const v = strings(t[key]);
    if (v !== undefined) out[key] = v;
  }
  if (isObject(t.names)) {
    const names = Object.fromEntries(Object.entries(t.names).filter((e): e is [string, string] => typeof e[1] === 'string'));
    if (Object.keys(names).length) out.names = names;
  }
  return out;
}

/** Active state nodes that declare a task, by state node id, in document order. */
export function activeTasks(snapshot: AnyMachineSnapshot): Map<string, TaskMeta> {
  const out = new Map<string, TaskMeta>();
  for (const node of snapshot._nodes) {
    const meta = taskMetaOf(node.meta);
    if (meta) out.set(node.id, meta);
  }
  return out;
}

export function completeEventOf(meta: TaskMeta | undefined): string {
  return meta?.completeEvent ?? DEFAULT_COMPLETE_EVENT;
}

/** The shared task record (without its due date, which needs the clock and a calendar). */
export function taskInfo(meta: TaskMeta, vars: Variables): UserTaskInfo {
  const task: UserTaskInfo = {};
  const name = meta.name ?? meta.names?.en ?? meta.names?.cy;
  if (name) task.name = name;
  if (meta.names) task.names = { ...meta.names };
  if (meta.assignee) task.assignee = meta.assignee;
  const assignee = meta.assigneeVariable ? vars[meta.assigneeVariable] : undefined;
  if (typeof assignee === 'string' && assignee !== '') task.assignee = assignee;
  if (meta.candidateGroups) task.candidateGroups = [...meta.candidateGroups];
  if (meta.candidateUsers) task.candidateUsers = [...meta.candidateUsers];
  if (meta.formKey) task.formKey = meta.formKey;
  if (meta.signoffRoles?.length) {
    task.signoffRoles = [...meta.signoffRoles];
    task.signoffs = [];
    const author = meta.authorVariable ? vars[meta.authorVariable] : undefined;
    if (author !== undefined && author !== null) task.authorId = String(author);
  }
  return task;
}
