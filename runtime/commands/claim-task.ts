// claim / unclaim / assign a user task: who is working on it. Claiming a task someone else
// holds is refused; an assignment by a manager replaces the holder.
import type { Access } from '../../db/access.js';
import type { Outcome } from '../errors.js';
import { onCase, type CaseChange, type CommandOptions } from '../execute.js';
import type { Runtime } from '../runtime.js';

export function claimTask(rt: Runtime, access: Access, caseId: string, eid: string, userId: string, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, (state) => {
    const w = state.elements[eid]?.wait;
    if (w?.kind === 'userTask' && w.task.assignee && w.task.assignee !== userId) {
      return { code: 'NOT_WAITING', message: `Task ${eid} is already claimed by ${w.task.assignee}` };
    }
    return { type: 'updateTask', eid, assignee: userId };
  });
}

export function unclaimTask(rt: Runtime, access: Access, caseId: string, eid: string, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, () => ({ type: 'updateTask', eid, assignee: null }));
}

export function assignTask(rt: Runtime, access: Access, caseId: string, eid: string, assignee: string, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, () => ({ type: 'updateTask', eid, assignee }));
}
