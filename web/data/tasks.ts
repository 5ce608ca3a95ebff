// The inbox query: open tasks assigned to me, or unassigned and offered to me by name or to a
// role I hold at the case's school, LA or region. The same SQL as GET /api/v1/tasks
// (api/routes/tasks.ts), with the page's filters: procedure, school and due date, and without
// joint sign-offs the caller has already approved.
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

export async function inbox(rt: Runtime, user: UserAccess, f: InboxFilter): Promise<{ items: InboxTask[]; total: number }> {
  const me = user.access.userId;
  const now = rt.clock.now();
  const week = new Date(Date.parse(now) + 7 * 24 * 3600 * 1000).toISOString();
  return rt.db.transaction(user.access, async (trx) => {
    const q = trx('tasks as t')
      .join('cases as c', 'c.id', 't.case_id')
      .join('organisations as la', 'la.id', 'c.tenant_id')
      .join('definitions as d', 'd.id', 'c.definition_id')
      .where('t.status', 'open')
      .andWhere((w) => {
        w.where('t.assignee', me);
        if (f.assigned === 'any') {
          w.orWhere((o) => o.whereNull('t.assignee').andWhere((x) => x
            .whereRaw('? = any(t.candidate_users)', [me])
            .orWhereExists((e) => e.select(trx.raw('1')).from('role_assignments as ra')
              .where('ra.user_id', me)
              .whereRaw('ra.role = any(t.candidate_groups)')
              .whereRaw('ra.organisation_id in (c.school_id, c.tenant_id, la.parent_id)'))));
        }
      });
    // A joint sign-off I have approved holds nothing more for me (one person signs once).
    q.whereRaw(`not (t.signoff is not null and exists (select 1 from jsonb_array_elements(coalesce(t.signoff->'signoffs', '[]'::jsonb)) s where s->>'userId' = ? and s->>'decision' = 'approve'))`, [me]);
    if (f.definitionKey) q.where('d.key', f.definitionKey);
    if (f.schoolId) q.where('c.school_id', f.schoolId);
    if (f.due === 'overdue') q.where('t.due_at', '<', now);
    if (f.due === 'week') q.where('t.due_at', '>=', now).andWhere('t.due_at', '<', week);
    if (f.due === 'later') q.where('t.due_at', '>=', week);
    if (f.due === 'none') q.whereNull('t.due_at');
    const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
    const rows = await q.select('t.*', 'd.key as definition_key', 'c.school_id', 'c.subject_person_id')
      .orderByRaw('t.due_at asc nulls last').orderBy('t.created_at').orderBy('t.case_id').limit(f.pageSize).offset((f.page - 1) * f.pageSize);
    return {
      total: Number(count),
      items: rows.map((t) => ({
        caseId: t.case_id, eid: t.eid, element: t.element_id, name: t.name ?? t.element_id, names: t.names ?? null,
        definitionKey: t.definition_key, schoolId: t.school_id, subjectPersonId: t.subject_person_id,
        assignee: t.assignee, candidateGroups: t.candidate_groups ?? [],
        dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
        overdue: !!t.due_at && new Date(t.due_at).toISOString() < now,
        signoff: t.signoff ?? null,
      })),
    };
  });
}

/** The procedures and schools of the cases I can see, for the filters. */
export async function inboxChoices(rt: Runtime, user: UserAccess): Promise<{ procedures: string[]; schools: string[] }> {
  return rt.db.transaction(user.access, async (trx) => {
    const procedures: string[] = await trx('cases as c').join('definitions as d', 'd.id', 'c.definition_id').distinct('d.key').orderBy('d.key').pluck('d.key');
    const schools: string[] = await trx('cases as c').whereNotNull('c.school_id').distinct('c.school_id').orderBy('c.school_id').pluck('c.school_id');
    return { procedures, schools };
  });
}
