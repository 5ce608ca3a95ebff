// The Tasks page's inbox: the same query as GET /api/v1/tasks (db/repositories/inbox.ts), with
// the page's filters (procedure, school and due date).
import { inboxChoices as choices, inboxPage } from '../../db/repositories/inbox.js';
import type { UserAccess } from '../../runtime/access.js';
import type { Runtime } from '../../runtime/runtime.js';

export type DueFilter = 'overdue' | 'week' | 'later' | 'none' | '';

export interface InboxFilter {
  assigned: 'me' | 'any';
  definitionKey?: string;
  schoolId?: string;
  due?: DueFilter;
  page: number;
  pageSize: number;
}

export interface InboxTask {
  caseId: string;
  eid: string;
  element: string;
  name: string;
  names: Record<string, string> | null;
  definitionKey: string;
  schoolId: string | null;
  subjectPersonId: string | null;
  assignee: string | null;
  candidateGroups: string[];
  dueAt: string | null;
  overdue: boolean;
  signoff: { roles?: string[]; signoffs?: unknown[] } | null;
}

/** A page of the inbox; `total` is counted up to db/repositories/inbox.ts TOTAL_CAP. */
export async function inbox(rt: Runtime, user: UserAccess, f: InboxFilter): Promise<{ items: InboxTask[]; total: number }> {
  const now = rt.clock.now();
  const { rows, total } = await rt.db.command(user.access, (tx) => inboxPage(tx, {
    userId: user.access.userId, roles: user.roles, assigned: f.assigned, definitionKey: f.definitionKey, schoolId: f.schoolId,
    due: f.due || undefined, now, page: f.page, pageSize: f.pageSize,
  }));
  return {
    total,
    items: rows.map((t) => ({
      caseId: t.case_id, eid: t.eid, element: t.element_id, name: t.name ?? t.element_id, names: t.names ?? null,
      definitionKey: t.definition_key, schoolId: t.school_id, subjectPersonId: t.subject_person_id,
      assignee: t.assignee, candidateGroups: t.candidate_groups ?? [],
      dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
      overdue: !!t.due_at && new Date(t.due_at).toISOString() < now,
      signoff: t.signoff ?? null,
    })),
  };
}

/** The procedures and schools of the cases I can see, for the filters. */
export async function inboxChoices(rt: Runtime, user: UserAccess): Promise<{ procedures: string[]; schools: string[] }> {
  return rt.db.command(user.access, (tx) => choices(tx));
}
