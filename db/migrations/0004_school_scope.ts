// School-level roles (headteacher, governors) see the cases of their own school, not their
// whole LA: a third way into the cases policy, through the session's camau.school_ids.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const visible = `
    tenant_id = any (camau_setting_list('camau.tenant_ids'))
    or (subject_kind = 'school' and tenant_id = any (camau_setting_list('camau.school_tenant_ids')))
    or school_id = any (camau_setting_list('camau.school_ids'))
    or exists (select 1 from case_grants g where g.case_id = cases.id and g.user_id = current_setting('camau.user_id', true) and g.expires_at > now())`;

const SQL = `
drop policy cases_app on cases;
create policy cases_app on cases to camau_app using (${visible}) with check (${visible});
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
