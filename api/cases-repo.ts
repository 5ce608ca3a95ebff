// Cases for the API and the pages, read through db/repositories/case-list.ts inside the caller's
// row-level security: a case outside the caller's organisations is not found.
import type { Access } from '../db/access.js';
import { listCases as listPage, readCase, type CaseFilter, type CaseWithOrgs } from '../db/repositories/case-list.js';
import type { CaseRow } from '../db/repositories/rows.js';
import type { Definition } from '../engine/index.js';
import { regionOf, type UserAccess } from '../runtime/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { isUuid } from '../runtime/execute.js';
import { ApiError } from './errors.js';

export type { CaseFilter, CaseWithOrgs };

/** The case (one round trip), or 404. */
export async function loadCase(rt: Runtime, access: Access, caseId: string): Promise<CaseWithOrgs> {
  if (!isUuid(caseId)) throw new ApiError('NOT_FOUND', `No case ${caseId}`);
  const row = await rt.db.command(access, (tx) => readCase(tx, caseId));
  if (!row) throw new ApiError('NOT_FOUND', `No case ${caseId}`);
  return row;
}

/** A case row a command saw or wrote, with what loadCase adds (the region as far as the user's roles tell: all that rolesAt needs). */
export function withOrgs(row: CaseRow, def: Definition, user: UserAccess): CaseWithOrgs {
  return { ...row, definition_key: def.ref.key, definition_version: def.ref.version, region_id: regionOf(user, row.tenant_id) };
}

/** The organisations a role may be held at to count for a case. */
export const orgsOf = (c: { school_id: string | null; tenant_id: string; region_id: string | null }) => [c.school_id, c.tenant_id, c.region_id];

export async function listCases(rt: Runtime, access: Access, f: CaseFilter): Promise<{ items: CaseWithOrgs[]; total: number }> {
  return rt.db.transaction(access, (trx) => listPage(trx, f));
}
