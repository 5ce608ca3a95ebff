// Reading cases and tasks for the API, always inside the caller's row-level security.
import type { Knex } from 'knex';
import type { Access } from '../db/access.js';
import type { CaseRow } from '../db/repositories/rows.js';
import type { Runtime } from '../runtime/runtime.js';
import { isUuid } from '../runtime/execute.js';
import { ApiError } from './errors.js';

export interface CaseWithOrgs extends CaseRow {
  definition_key: string;
  definition_version: number;
  region_id: string | null;
}

const select = (trx: Knex) => trx('cases as c')
  .join('organisations as la', 'la.id', 'c.tenant_id')
  .join('definitions as d', 'd.id', 'c.definition_id')
  .select('c.*', 'd.key as definition_key', 'd.version as definition_version', 'la.parent_id as region_id');

export async function loadCase(rt: Runtime, access: Access, caseId: string): Promise<CaseWithOrgs> {
  if (!isUuid(caseId)) throw new ApiError('NOT_FOUND', `No case ${caseId}`);
  const row = await rt.db.transaction(access, (trx) => select(trx).where('c.id', caseId).first());
  if (!row) throw new ApiError('NOT_FOUND', `No case ${caseId}`);
  return row;
}

/** The organisations a role may be held at to count for a case. */
export const orgsOf = (c: { school_id: string | null; tenant_id: string; region_id: string | null }) => [c.school_id, c.tenant_id, c.region_id];

export interface CaseFilter {
  status?: string;
  definitionKey?: string;
  schoolId?: string;
  la?: string;
  page: number;
  pageSize: number;
}

export async function listCases(rt: Runtime, access: Access, f: CaseFilter): Promise<{ items: CaseWithOrgs[]; total: number }> {
  return rt.db.transaction(access, async (trx) => {
    const q = select(trx);
    if (f.status) q.where('c.status', f.status);
    if (f.definitionKey) q.where('d.key', f.definitionKey);
    if (f.schoolId) q.where('c.school_id', f.schoolId);
    if (f.la) q.where('c.tenant_id', f.la);
    const [{ count }] = await q.clone().clearSelect().count<{ count: string }[]>('* as count');
    const items = await q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize);
    return { items, total: Number(count) };
  });
}
