// What a user may see, from their role assignments: a role held at an LA gives that LA's cases;
// a role held at a school gives that school's cases; a region-wide role gives the school-level
// cases of every LA in the region; staff cases outside these only via a grant.
import type { Access } from '../db/access.js';
import { systemAccess } from '../db/access.js';
import { roleAssignments } from '../db/repositories/organisations.js';
import type { Runtime } from './runtime.js';

export interface UserAccess {
  access: Access & { kind: 'user' };
  roles: Array<{ role: string; organisationId: string; kind: 'region' | 'la' | 'school' }>;
}

export async function accessFor(rt: Runtime, userId: string): Promise<UserAccess> {
  return rt.db.transaction(systemAccess('resolve access'), async (trx) => {
    const rows = await roleAssignments(trx, userId);
    const tenants = new Set<string>();
    const schoolTenants = new Set<string>();
    const schools = new Set<string>();
    for (const r of rows) {
      if (r.kind === 'la') tenants.add(r.organisation_id);
      if (r.kind === 'school') schools.add(r.organisation_id);
      if (r.kind === 'region') {
        const las = await trx('organisations').where({ parent_id: r.organisation_id, kind: 'la' }).pluck('id');
        for (const la of las) schoolTenants.add(la);
      }
    }
    return {
      access: { kind: 'user', userId, tenantIds: [...tenants], schoolTenantIds: [...schoolTenants], schoolIds: [...schools] },
      roles: rows.map((r) => ({ role: r.role, organisationId: r.organisation_id, kind: r.kind })),
    };
  });
}
