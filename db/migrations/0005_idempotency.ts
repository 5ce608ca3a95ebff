// Idempotency-Key on POST: the first response to a (user, key) is kept, and a retry gets it back.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
create table idempotency_keys (
  user_id text not null,
  key text not null,
  request_hash text not null,
  status text not null check (status in ('pending', 'done')),
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, key)
);
grant select, insert, update, delete on idempotency_keys to camau_worker;
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
