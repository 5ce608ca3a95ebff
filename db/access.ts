// Who a transaction acts for. Row-level security in PostgreSQL decides what it may see:
// `user` transactions run as the role camau_app with the caller's tenants set locally;
// `system` transactions (workers, relays, migrations of data) run as camau_worker and see all.
export type Access =
  | {
      kind: 'user';
      userId: string;
      /** LAs whose every case the user may see (their own LA roles, or region roles for school cases only: see schoolTenantIds). */
      tenantIds: string[];
      /** LAs whose school-level cases (not staff cases) the user may see: region-wide roles. */
      schoolTenantIds: string[];
      /** Schools whose cases the user may see: school-level roles (headteacher, governors). */
      schoolIds?: string[];
    }
  | { kind: 'system'; reason: string };

export const systemAccess = (reason: string): Access => ({ kind: 'system', reason });
