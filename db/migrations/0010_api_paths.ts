// What the API's hot paths need from the database.
//
// - The inbox (db/repositories/inbox.ts) pages open tasks soonest due first, then oldest, then by
//   case and element instance: an index in exactly that order lets a page stop after its rows
//   instead of sorting every open task the caller may see.
// - A task command's Idempotency-Key record is written in the command's own transaction, with the
//   step's writes (db/repositories/steps.ts), as the caller (camau_app): a retry then finds
//   either nothing done or the first response, never one without the other. A user reads and
//   writes only their own keys.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
create index tasks_inbox on tasks (due_at, created_at, case_id, eid) where status = 'open';

grant select, insert, update, delete on idempotency_keys to camau_app;
alter table idempotency_keys enable row level security;
alter table idempotency_keys force row level security;
create policy idempotency_keys_app on idempotency_keys to camau_app
  using (user_id = current_setting('camau.user_id', true))
  with check (user_id = current_setting('camau.user_id', true));
create policy idempotency_keys_worker on idempotency_keys to camau_worker using (true) with check (true);
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
