// Cases as the API and the pages read them, always inside the caller's row-level security: one
// case with its definition and its LA's region, or a filtered page of them.
import type { Knex } from 'knex';
import type { CommandTx } from '../connection.js';
import type { CaseRow } from './rows.js';

export interface CaseWithOrgs extends CaseRow {
  definition_key: string;
  definition_version: number;
  region_id: string | null;
}

const SELECT = `select c.*, d.key as definition_key, d.version as definition_version, la.parent_id as region_id
  from cases c join organisations la on la.id = c.tenant_id join definitions d on d.id = c.definition_id`;

/** One case (undefined if absent or invisible to the caller): one statement, its transaction's last. */
export async function readCase(tx: CommandTx, id: string): Promise<CaseWithOrgs | undefined> {
  const [row] = await tx.query<CaseWithOrgs>({ sql: `${SELECT} where c.id = ?`, values: [id] }, { commit: true });
  return row;
}

export interface CaseFilter {
  status?: string;
  definitionKey?: string;
  schoolId?: string;
  la?: string;
  page: number;
  pageSize: number;
}

/** A page of cases, newest first, and how many match. */
export async function listCases(trx: Knex, f: CaseFilter): Promise<{ items: CaseWithOrgs[]; total: number }> {
  const q = trx('cases as c')
    .join('organisations as la', 'la.id', 'c.tenant_id')
    .join('definitions as d', 'd.id', 'c.definition_id')
    .select('c.*', 'd.key as definition_key', 'd.version as definition_version', 'la.parent_id as region_id');
  if (f.status) q.where('c.status', f.status);
  if (f.definitionKey) q.where('d.key', f.definitionKey);
  if (f.schoolId) q.where('c.school_id', f.schoolId);
  if (f.la) q.where('c.tenant_id', f.la);
  const [{ count }] = await q.clone().clearSelect().count<{ count: string }[]>('* as count');
  const items = await q.orderBy('c.created_at', 'desc').orderBy('c.id').limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  return { items, total: Number(count) };
}
