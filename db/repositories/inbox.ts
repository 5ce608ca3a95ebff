// The inbox: open tasks assigned to me, or unassigned and offered to me by name or to a role I
// hold at the task's school, LA or LA's region; less the joint sign-offs I have already approved
// (one person signs once). GET /api/v1/tasks and the Tasks page both read it from here.
//
// One statement, run inside the caller's row-level security. The tasks' own columns answer
// everything but the procedure filter (migration 0008 copied the case's LA and school onto each
// task; the caller's roles come in as values, as their row-level security settings do), so the
// page walks the tasks_inbox index (migration 0010) in the inbox's order and stops
// after its rows; cases and definitions are joined for those rows only. The total is counted up
// to TOTAL_CAP: beyond that the caller is told there are more, not how many (counting every open
// task of a region would cost more than the page).
import type { CommandTx } from '../connection.js';

export const TOTAL_CAP = 1000;

export type DueFilter = 'overdue' | 'not-overdue' | 'week' | 'later' | 'none';

/** A role the caller holds, where (a region's role lists the region's LAs): runtime/access.ts UserAccess.roles. */
export interface HeldRole {
  role: string;
  kind: 'region' | 'la' | 'school';
  organisationId: string;
  las?: string[];
}

export interface InboxQuery {
  userId: string;
  roles: HeldRole[];
  /** 'me': only tasks assigned to me; 'any': also those offered to me. */
  assigned: 'me' | 'any';
  definitionKey?: string;
  schoolId?: string;
  due?: DueFilter;
  /** The instant "overdue" and "this week" are counted from. */
  now: string;
  page: number;
  pageSize: number;
}

export interface InboxRow {
  case_id: string;
  eid: string;
  element_id: string;
  name: string | null;
  names: Record<string, string> | null;
  assignee: string | null;
  candidate_groups: string[];
  due_at: Date | null;
  created_at: Date;
  signoff: { roles?: string[]; signoffs?: unknown[] } | null;
  definition_key: string;
  school_id: string | null;
  subject_person_id: string | null;
  case_version: number;
}

export interface InboxPage {
  rows: InboxRow[];
  /** How many tasks match, counted up to TOTAL_CAP. */
  total: number;
  /** More than TOTAL_CAP match. */
  more: boolean;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

const list = (xs: string[]) => xs.map(() => '?').join(', ');

/** A task offered to one of these roles at its school, its LA or its LA's region. */
function offeredTo(roles: HeldRole[]): { sql: string; values: unknown[] } {
  const where = new Map<string, { las: Set<string>; schools: Set<string> }>();
  for (const r of roles) {
    let w = where.get(r.role);
    if (!w) where.set(r.role, (w = { las: new Set(), schools: new Set() }));
    if (r.kind === 'school') w.schools.add(r.organisationId);
    if (r.kind === 'la') w.las.add(r.organisationId);
    for (const la of r.las ?? []) w.las.add(la);
  }
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [role, w] of where) {
    const las = [...w.las];
    const schools = [...w.schools];
    const at = [las.length ? `t.tenant_id in (${list(las)})` : '', schools.length ? `t.school_key in (${list(schools)})` : ''].filter(Boolean);
    if (!at.length) continue;
    parts.push(`(? = any (t.candidate_groups) and (${at.join(' or ')}))`);
    values.push(role, ...las, ...schools);
  }
  return parts.length ? { sql: `(${parts.join(' or ')})`, values } : { sql: 'false', values: [] };
}

/** The conditions on `tasks t` that make a task mine, with their values. */
function where(q: InboxQuery): { sql: string; values: unknown[] } {
  const parts = [`t.status = 'open'`];
  const values: unknown[] = [];
  if (q.assigned === 'me') {
    parts.push('t.assignee = ?');
    values.push(q.userId);
  } else {
    const offered = offeredTo(q.roles);
    parts.push(`(t.assignee = ? or (t.assignee is null and (? = any (t.candidate_users) or ${offered.sql})))`);
    values.push(q.userId, q.userId, ...offered.values);
  }
  parts.push(`not (t.signoff is not null and exists (select 1 from jsonb_array_elements(coalesce(t.signoff->'signoffs', '[]'::jsonb)) s
    where s->>'userId' = ? and s->>'decision' = 'approve'))`);
  values.push(q.userId);
  if (q.definitionKey) {
    parts.push('exists (select 1 from cases c join definitions d on d.id = c.definition_id where c.id = t.case_id and d.key = ?)');
    values.push(q.definitionKey);
  }
  if (q.schoolId) {
    parts.push('t.school_key = ?');
    values.push(q.schoolId);
  }
  const week = new Date(Date.parse(q.now) + WEEK_MS).toISOString();
  if (q.due === 'overdue') parts.push('t.due_at < ?'), values.push(q.now);
  if (q.due === 'not-overdue') parts.push('(t.due_at is null or t.due_at >= ?)'), values.push(q.now);
  if (q.due === 'week') parts.push('t.due_at >= ? and t.due_at < ?'), values.push(q.now, week);
  if (q.due === 'later') parts.push('t.due_at >= ?'), values.push(week);
  if (q.due === 'none') parts.push('t.due_at is null');
  return { sql: parts.join('\n  and '), values };
}

/** A page of my inbox, soonest due first (no due date last), then oldest; one statement, its transaction's last. */
export async function inboxPage(tx: CommandTx, q: InboxQuery): Promise<InboxPage> {
  const w = where(q);
  // The count and the page in one row set: the count on every row, and one row with a null
  // page when the page is empty.
  const rows = await tx.query<InboxRow & { total: string }>({
    sql: `select n.total, p.* from (select count(*) as total from (select 1 from tasks t where ${w.sql} limit ${TOTAL_CAP + 1}) m) n
      left join lateral (
        select t.case_id, t.eid, t.element_id, t.name, t.names, t.assignee, t.candidate_groups, t.due_at, t.created_at, t.signoff,
               d.key as definition_key, c.school_id, c.subject_person_id, c.version as case_version
        from (select * from tasks t where ${w.sql} order by t.due_at, t.created_at, t.case_id, t.eid limit ? offset ?) t
        join cases c on c.id = t.case_id join definitions d on d.id = c.definition_id
        order by t.due_at, t.created_at, t.case_id, t.eid
      ) p on true`,
    values: [...w.values, ...w.values, q.pageSize, (q.page - 1) * q.pageSize],
  }, { commit: true });
  const counted = Number(rows[0]?.total ?? 0);
  return {
    rows: rows.filter((r) => r.case_id !== null).map(({ total: _total, ...r }) => r),
    total: Math.min(counted, TOTAL_CAP),
    more: counted > TOTAL_CAP,
  };
}

/** The procedures and schools of the cases I can see, for the inbox's filters. */
export async function inboxChoices(tx: CommandTx): Promise<{ procedures: string[]; schools: string[] }> {
  const [row] = await tx.query<{ procedures: string[] | null; schools: string[] | null }>({
    sql: `select array(select distinct d.key from cases c join definitions d on d.id = c.definition_id order by d.key) as procedures,
                 array(select distinct c.school_id from cases c where c.school_id is not null order by c.school_id) as schools`,
  }, { commit: true });
  return { procedures: row?.procedures ?? [], schools: row?.schools ?? [] };
}
