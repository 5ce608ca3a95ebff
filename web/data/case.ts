// One case for a page: the row (inside the caller's row-level security), what the caller may
// do with it, and the names that go with it.
import { getPerson } from '../../db/repositories/organisations.js';
import type { UserAccess } from '../../runtime/access.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { ElementInstance, UserTaskInfo } from '../../engine/index.js';
import { ApiError } from '../../api/errors.js';
import { holds, rolesAt } from '../../api/permissions.js';
import { loadCase, orgsOf, type CaseWithOrgs } from '../../api/cases-repo.js';

export type { CaseWithOrgs };

export async function caseFor(rt: Runtime, user: UserAccess, caseId: string): Promise<CaseWithOrgs> {
  return loadCase(rt, user.access, caseId);
}

export function openTask(c: CaseWithOrgs, eid: string): UserTaskInfo | undefined {
  const ei: ElementInstance | undefined = c.snapshot.elements[eid];
  return ei?.wait?.kind === 'userTask' ? ei.wait.task : undefined;
}

/** The API's rule (api/routes/tasks.ts): theirs, offered to them by name, or to a role they hold for the case. */
export function mayWork(user: UserAccess, task: UserTaskInfo, c: CaseWithOrgs, opts: { ignoreAssignee?: boolean } = {}): boolean {
  if (task.assignee === user.access.userId) return true;
  if (task.assignee && !opts.ignoreAssignee) return false;
  if (task.candidateUsers?.includes(user.access.userId)) return true;
  const roles = rolesAt(user, orgsOf(c));
  return [...(task.candidateGroups ?? []), ...(task.signoffRoles ?? [])].some((g) => roles.has(g));
}

/** Whether the caller may see the case's variables (the API's rule for GET /cases/:id). */
export const mayReadVariables = (user: UserAccess, c: CaseWithOrgs) => holds(user, 'history.read', orgsOf(c)) || c.subject_kind === 'school';

export async function subjectName(rt: Runtime, user: UserAccess, c: CaseWithOrgs): Promise<string | undefined> {
  if (!c.subject_person_id) return undefined;
  const row = await rt.db.transaction(user.access, (trx) => getPerson(trx, c.subject_person_id!));
  return row?.name;
}

export function requireCap(ok: boolean): void {
  if (!ok) throw new ApiError('FORBIDDEN', 'forbidden');
}
