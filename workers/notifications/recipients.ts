// Who receives a notification: the `toRoles` of a notify effect resolved, for one case, to
// people with an e-mail address and a language. Roles are read where the case is:
//
//   governors                 people of kind governor at the case's school, and users holding
//                             governor or chair-of-governors there
//   chair-of-governors,
//   headteacher               users holding the role at the case's school
//   staff-member              the person the case is about (staff cases)
//   la-employer, education-hr-officer, lead-education-hr-officer
//                             users holding the role at the case's LA (its tenant)
//   challenge-adviser, managing-director, lead-head-of-hr
//                             users holding the role at the region of the case's LA; on a staff
//                             case only those with an unexpired grant for it (employee data stay
//                             with the LA: PRIMER "Data protection")
//   employer                  the employer of the case's staff: la-employer when the LA employs,
//                             chair-of-governors when the governing body does
//   assignee                  the task's assignee, else its candidate users and groups
//   user:<id>, person:<id>, or a bare user id
//
// Any other role name is looked up at the school, the LA and the region. A role nobody holds,
// or a name that is neither a role nor a user, is not an error that stops the others: it comes
// back as `unreachable` with a reason, and the consumer records it as a failed notification.
import type { Knex } from 'knex';
import { preferenceOf, type Preference } from './render.js';

export interface CaseRef {
  id: string;
  tenant_id: string;
  school_id: string | null;
  subject_person_id: string | null;
  employer: 'la' | 'governing-body';
}

export interface TaskRef {
  assignee: string | null;
  candidate_users: string[] | null;
  candidate_groups: string[] | null;
}

export interface Recipient {
  /** Stable across retries: `person:<id>` (a user linked to a person is that person) or `user:<id>`. */
  key: string;
  /** The role (as written in toRoles) that reached them first. */
  role: string;
  name: string;
  email: string;
  language: Preference;
}

export interface Unreachable {
  /** `person:<id>`, `user:<id>`, or `role:<name>` when the role itself reached nobody. */
  key: string;
  role: string;
  reason: string;
}

export interface Resolution {
  recipients: Recipient[];
  unreachable: Unreachable[];
}

export interface ResolveContext {
  /** The task the notification is about (for `assignee`). */
  task?: TaskRef;
  /** The current instant, for case grants. */
  now: string;
}

type Scope = 'school' | 'la' | 'region';

/** Roles held at a known level of the organisation tree. */
export const SCOPED_ROLES: Record<string, Scope> = {
  headteacher: 'school',
  'chair-of-governors': 'school',
  'clerk-to-governors': 'school',
  'la-employer': 'la',
  'education-hr-officer': 'la',
  'lead-education-hr-officer': 'la',
  'challenge-adviser': 'region',
  'managing-director': 'region',
  'lead-head-of-hr': 'region',
};

/** Roles resolved from the case itself rather than from role assignments. */
export const CASE_ROLES = ['governors', 'staff-member', 'employer', 'assignee'] as const;

interface Candidate {
  key: string;
  name: string;
  email: string | null;
  language: Preference;
}

interface UserRow {
  user_id: string;
  display_name: string;
  user_email: string | null;
  user_language: string | null;
  person_id: string | null;
  person_name: string | null;
  person_email: string | null;
  person_language: string | null;
}

/**
 * A user, as the person they are when linked to one: the person's e-mail (the LA's record)
 * unless missing, and the user's own language when they chose one, else the person's.
 */
function fromUser(u: UserRow): Candidate {
  const userLang = preferenceOf(u.user_language);
  return {
    key: u.person_id ? `person:${u.person_id}` : `user:${u.user_id}`,
    name: u.person_name ?? u.display_name,
    email: u.person_email ?? u.user_email,
    language: userLang !== 'both' ? userLang : preferenceOf(u.person_language ?? u.user_language),
  };
}

const userColumns = [
  'u.id as user_id', 'u.display_name', 'u.email as user_email', 'u.language as user_language',
  'p.id as person_id', 'p.name as person_name', 'p.email as person_email', 'p.language as person_language',
];

function usersQuery(trx: Knex) {
  return trx('users as u').leftJoin('people as p', 'p.id', 'u.person_id');
}

export async function resolveRecipients(trx: Knex, c: CaseRef, toRoles: string[], ctx: ResolveContext): Promise<Resolution> {
  const school = c.school_id;
  const la = c.tenant_id;
  const region = (await trx('organisations').where({ id: la }).first('parent_id'))?.parent_id as string | null | undefined;
  const orgOf: Record<Scope, string | null | undefined> = { school, la, region };
  const recipients = new Map<string, Recipient>();
  const unreachable = new Map<string, Unreachable>();

  const add = (role: string, people: Candidate[]) => {
    for (const p of people) {
      if (recipients.has(p.key)) continue;
      if (p.email && p.email.trim()) {
        recipients.set(p.key, { key: p.key, role, name: p.name, email: p.email.trim(), language: p.language });
        unreachable.delete(p.key);
      } else if (!unreachable.has(p.key)) {
        unreachable.set(p.key, { key: p.key, role, reason: `${p.name} (${p.key}, reached as ${role}) has no e-mail address` });
      }
    }
  };
  const nobody = (role: string, reason: string) => {
    const key = `role:${role}`;
    if (!unreachable.has(key)) unreachable.set(key, { key, role, reason });
  };

  /** Users holding `role` at `orgId`; region holders on a staff case only with a grant. */
  const holders = async (role: string, orgId: string, scope: Scope): Promise<{ users: Candidate[]; withheld: number }> => {
    const rows: Array<UserRow & { granted: boolean }> = await usersQuery(trx)
      .join('role_assignments as r', 'r.user_id', 'u.id')
      .where({ 'r.role': role, 'r.organisation_id': orgId })
      .select(...userColumns, trx.raw(`exists (select 1 from case_grants g where g.case_id = ? and g.user_id = u.id and g.expires_at > ?) as granted`, [c.id, ctx.now]))
      .orderBy('u.id');
    const allowed = scope === 'region' && c.subject_person_id ? rows.filter((r) => r.granted) : rows;
    return { users: allowed.map(fromUser), withheld: rows.length - allowed.length };
  };

  const byScope = async (role: string, held: string, scope: Scope): Promise<void> => {
    const orgId = orgOf[scope];
    if (!orgId) return nobody(role, `the case has no ${scope} for the role ${held}`);
    const { users, withheld } = await holders(held, orgId, scope);
    if (users.length) return add(role, users);
    if (withheld) return nobody(role, `${withheld} ${held} holder(s) at ${orgId} have no grant for this staff case (a region role sees an employee's case only through a grant)`);
    nobody(role, `no one holds the role ${held} at ${orgId}`);
  };

  const user = async (role: string, userId: string): Promise<boolean> => {
    const u: UserRow | undefined = await usersQuery(trx).where('u.id', userId).first(...userColumns);
    if (u) add(role, [fromUser(u)]);
    return !!u;
  };

  const person = async (role: string, personId: string): Promise<boolean> => {
    const p = await trx('people').where({ id: personId }).first('id', 'name', 'email', 'language');
    if (p) add(role, [{ key: `person:${p.id}`, name: p.name, email: p.email, language: preferenceOf(p.language) }]);
    return !!p;
  };

  const resolveOne = async (role: string, depth: number): Promise<void> => {
    switch (role) {
      case 'governors':
      case 'governor': {
        if (!school) return nobody(role, 'the case has no school');
        const people = await trx('people').where({ kind: 'governor', organisation_id: school }).orderBy('id').select('id', 'name', 'email', 'language');
        const users: UserRow[] = await usersQuery(trx).join('role_assignments as r', 'r.user_id', 'u.id')
          .whereIn('r.role', ['governor', 'chair-of-governors']).andWhere('r.organisation_id', school).distinct(...userColumns).orderBy('user_id');
        const all = [...people.map((p) => ({ key: `person:${p.id}`, name: p.name, email: p.email, language: preferenceOf(p.language) })), ...users.map(fromUser)];
        if (all.length === 0) return nobody(role, `no governors are recorded for ${school}`);
        return add(role, all);
      }
      case 'staff-member':
        if (!c.subject_person_id) return nobody(role, 'the case is about a school, not a staff member');
        if (!(await person(role, c.subject_person_id))) nobody(role, `the staff member ${c.subject_person_id} is not on record`);
        return;
      case 'employer':
        return c.employer === 'la' ? byScope(role, 'la-employer', 'la') : byScope(role, 'chair-of-governors', 'school');
      case 'assignee': {
        const t = ctx.task;
        if (!t) return nobody(role, 'the notification names no task, so it has no assignee');
        if (t.assignee) {
          if (!(await user(role, t.assignee))) nobody(role, `the assignee ${t.assignee} is not a user`);
          return;
        }
        const users = t.candidate_users ?? [];
        const groups = t.candidate_groups ?? [];
        if (users.length === 0 && groups.length === 0) return nobody(role, 'the task has no assignee and no candidates');
        for (const u of users) if (!(await user(role, u))) nobody(`user:${u}`, `the candidate user ${u} is not a user`);
        // Candidate groups are roles; one level only (a group named "assignee" would loop).
        if (depth === 0) for (const g of groups) await resolveOne(g, depth + 1);
        return;
      }
    }
    const scope = SCOPED_ROLES[role];
    if (scope) return byScope(role, role, scope);
    if (role.startsWith('user:')) {
      if (!(await user(role, role.slice(5)))) nobody(role, `no user ${role.slice(5)}`);
      return;
    }
    if (role.startsWith('person:')) {
      if (!(await person(role, role.slice(7)))) nobody(role, `no person ${role.slice(7)}`);
      return;
    }
    // A role Camau has no level for: whoever holds it at the school, the LA or the region.
    for (const s of ['school', 'la', 'region'] as const) {
      const orgId = orgOf[s];
      if (!orgId) continue;
      const { users } = await holders(role, orgId, s);
      if (users.length) return add(role, users);
    }
    if (await user(role, role)) return;
    nobody(role, `unknown role "${role}": no one holds it at the case's school, LA or region, and it is not a user id`);
  };

  for (const role of toRoles.map((r) => r.trim()).filter(Boolean)) await resolveOne(role, 0);
  return { recipients: [...recipients.values()], unreachable: [...unreachable.values()] };
}
