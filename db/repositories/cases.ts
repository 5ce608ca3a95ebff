// The cases table: one row per workflow instance, its snapshot and its version for
// optimistic locking. Reads go through row-level security.
import type { Knex } from 'knex';
import type { InstanceState } from '../../engine/index.js';
import type { CaseRow } from './rows.js';

export interface NewCase {
  id: string;
  definitionId: string;
  tenantId: string;
  schoolId?: string;
  /** The term-date key of the case's LA, if the LA follows a known calendar. */
  calendarLa?: string;
  subjectKind: 'school' | 'staff';
  subjectPersonId?: string;
  employer: 'la' | 'governing-body';
  snapshot: InstanceState;
  parentCaseId?: string;
  parentEid?: string;
  businessKey?: string;
  createdBy?: string;
  at: string;
  /** Head of the history written with the case. */
  head: { seq: number; hash: string };
}

export async function insertCase(trx: Knex, c: NewCase): Promise<void> {
  await trx('cases').insert({
    id: c.id,
    definition_id: c.definitionId,
    tenant_id: c.tenantId,
    school_id: c.schoolId ?? null,
    calendar_la: c.calendarLa ?? null,
    subject_kind: c.subjectKind,
    subject_person_id: c.subjectPersonId ?? null,
    employer: c.employer,
    status: c.snapshot.status,
    snapshot: JSON.stringify(c.snapshot),
    version: 1,
    last_seq: c.head.seq,
    last_hash: c.head.hash,
    parent_case_id: c.parentCaseId ?? null,
    parent_eid: c.parentEid ?? null,
    business_key: c.businessKey ?? null,
    created_by: c.createdBy ?? null,
    created_at: c.at,
    updated_at: c.at,
  });
}

/** Locks the case row for this transaction; concurrent commands on one case queue here. */
export async function lockCase(trx: Knex, id: string): Promise<CaseRow | undefined> {
  return trx<CaseRow>('cases').where({ id }).forUpdate().first();
}

export async function getCase(trx: Knex, id: string): Promise<CaseRow | undefined> {
  return trx<CaseRow>('cases').where({ id }).first();
}

export async function saveSnapshot(trx: Knex, id: string, snapshot: InstanceState, version: number, head: { seq: number; hash: string }, at: string): Promise<void> {
  await trx('cases').where({ id }).update({ snapshot: JSON.stringify(snapshot), status: snapshot.status, version, last_seq: head.seq, last_hash: head.hash, updated_at: at });
}
