// School-level roles see the staff of their own school (a headteacher starts a capability case
// for a teacher), and an idempotent replay returns the first response byte for byte with its
// Location and ETag.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
drop policy people_app on people;
create policy people_app on people to camau_app
  using (la_id = any (camau_setting_list('camau.tenant_ids')) or organisation_id = any (camau_setting_list('camau.school_ids')) or kind <> 'staff')
  with check (la_id = any (camau_setting_list('camau.tenant_ids')));
alter table idempotency_keys add column response_text text;
alter table idempotency_keys add column response_headers jsonb;
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
