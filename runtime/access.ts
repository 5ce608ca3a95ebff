// What a user may see, from their role assignments: a role held at an LA gives that LA's cases;
// a role held at a school gives that school's cases; a region-wide role gives the school-level
// cases of every LA in the region; staff cases outside these only via a grant.
import type { Access } from '../db/access.js';
import { systemAccess } from '../db/access.js';
import type { Database } from '../db/connection.js';
import { rolesWithScope } from '../db/repositories/organisations.js';
import type { Runtime } from './runtime.js';

export interface UserAccess {
  access: Access & { kind: 'user' };
  /** Each role with where it is held; a role held at a region lists the region's LAs. */
  roles: Array<{ role: string; organisationId: string; kind: 'region' | 'la' | 'school'; las?: string[] }>;
}

/** The user's access as the database says now (one round trip). */
export async function accessFor(rt: Runtime, userId: string): Promise<UserAccess> {
  const rows = await rt.db.command(systemAccess('resolve access'), (tx) => rolesWithScope(tx, userId));
  const tenants = new Set<string>();
  const schoolTenants = new Set<string>();
  const schools = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'la') tenants.add(r.organisation_id);
    if (r.kind === 'school') schools.add(r.organisation_id);
    for (const la of r.las ?? []) schoolTenants.add(la);
  }
  return {
    access: { kind: 'user', userId, tenantIds: [...tenants], schoolTenantIds: [...schoolTenants], schoolIds: [...schools] },
    roles: rows.map((r) => ({ role: r.role, organisationId: r.organisation_id, kind: r.kind, ...(r.las ? { las: r.las } : {}) })),
  };
}

/**
 * How long a request may reuse the access another request of the same user resolved: a role
 * granted or revoked counts for every request that starts this long after the change. (Row-level
 * security is set from this access, so a revoked LA role stops showing that LA's cases within it.)
 */
export const ACCESS_TTL_MS = 5_000;
/** Users whose access is kept; the least recently resolved go first. */
const KEPT = 10_000;

const recent = new WeakMap<Database, Map<string, { until: number; access: Promise<UserAccess> }>>();

/** accessFor, answered from an answer at most ACCESS_TTL_MS old when there is one (the API's per-request lookup). */
export function recentAccessFor(rt: Runtime, userId: string): Promise<UserAccess> {
  let byUser = recent.get(rt.db);
  if (!byUser) recent.set(rt.db, (byUser = new Map()));
  const now = performance.now();
  const kept = byUser.get(userId);
  if (kept && kept.until > now) return kept.access;
  byUser.delete(userId);
  const access = accessFor(rt, userId);
  const entry = { until: now + ACCESS_TTL_MS, access };
  byUser.set(userId, entry);
  if (byUser.size > KEPT) byUser.delete(byUser.keys().next().value as string);
  // A failed lookup is not kept.
  access.catch(() => { if (byUser!.get(userId) === entry) byUser!.delete(userId); });
  return access;
}

/** The region a case's LA belongs to, as far as the user's roles tell (the only regions whose roles could count for it). */
export function regionOf(user: UserAccess, la: string): string | null {
  return user.roles.find((r) => r.kind === 'region' && r.las?.includes(la))?.organisationId ?? null;
}
