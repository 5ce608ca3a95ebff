// Organisations (region -> LA -> school), people, users and their role assignments.
import type { Knex } from 'knex';
import type { CommandTx } from '../connection.js';

export interface OrganisationRow {
  id: string;
  kind: 'region' | 'la' | 'school';
  name: string;
  name_cy: string | null;
  parent_id: string | null;
  category: 'community' | 'voluntary-controlled' | 'voluntary-aided' | 'foundation' | null;
}

export interface PersonRow {
  id: string;
  la_id: string;
  organisation_id: string;
  kind: 'staff' | 'governor' | 'officer' | 'adviser';
  name: string;
  email: string | null;
  language: 'cy' | 'en' | 'both';
}

export async function getOrganisation(trx: Knex, id: string): Promise<OrganisationRow | undefined> {
  return trx<OrganisationRow>('organisations').where({ id }).first();
}

export async function listOrganisations(trx: Knex): Promise<OrganisationRow[]> {
  return trx<OrganisationRow>('organisations').select('*').orderBy('id');
}

export async function getPerson(trx: Knex, id: string): Promise<PersonRow | undefined> {
  return trx<PersonRow>('people').where({ id }).first();
}

/** A user's roles, each with its organisation's kind and, for a region, the region's LAs: one statement, the transaction's last. */
export async function rolesWithScope(tx: CommandTx, userId: string): Promise<Array<{ role: string; organisation_id: string; kind: OrganisationRow['kind']; las: string[] | null }>> {
  return tx.query({
    sql: `select r.role, r.organisation_id, o.kind,
            case when o.kind = 'region' then array(select l.id from organisations l where l.parent_id = o.id and l.kind = 'la' order by l.id) end as las
          from role_assignments r join organisations o on o.id = r.organisation_id where r.user_id = ?`,
    values: [userId],
  }, { commit: true });
}

/** Whether a user exists (as the caller may see users). */
export async function userExists(trx: Knex, id: string): Promise<boolean> {
  return !!(await trx('users').where({ id }).first('id'));
}

export async function insertOrganisations(trx: Knex, rows: Array<Omit<OrganisationRow, 'name_cy' | 'category' | 'parent_id'> & Partial<OrganisationRow>>): Promise<void> {
  if (rows.length) await trx('organisations').insert(rows).onConflict('id').merge();
}

export async function insertPeople(trx: Knex, rows: Array<Omit<PersonRow, 'email' | 'language'> & Partial<PersonRow>>): Promise<void> {
  if (rows.length) await trx('people').insert(rows).onConflict('id').merge();
}

export async function insertUser(trx: Knex, user: { id: string; display_name: string; email?: string; person_id?: string; language?: string }, roles: Array<{ role: string; organisation_id: string }>): Promise<void> {
  await trx('users').insert(user).onConflict('id').merge();
  if (roles.length) await trx('role_assignments').insert(roles.map((r) => ({ user_id: user.id, ...r }))).onConflict(['user_id', 'role', 'organisation_id']).ignore();
}
