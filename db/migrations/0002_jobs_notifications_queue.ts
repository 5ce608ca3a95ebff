// Service-task jobs as a projection (so a reconciler can re-add them after Redis is lost),
// notifications recorded once per recipient, and the embedded driver's job table.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
create table jobs (
  case_id uuid not null references cases(id),
  job_id text not null,
  element_id text not null,
  type text not null,
  retries integer not null,
  -- The case version that activated it: with case and job id, the job's id in the queue.
  activation integer not null,
  status text not null check (status in ('open', 'completed', 'cancelled', 'failed')),
  created_at timestamptz not null,
  primary key (case_id, job_id)
);
create index jobs_open on jobs (type) where status = 'open';

-- One row per (effect, recipient): a retried notification job finds the row and does not send twice.
create table notifications (
  outbox_id bigint not null,
  recipient text not null,
  case_id uuid references cases(id),
  template text not null,
  language text not null check (language in ('cy', 'en', 'both')),
  email text,
  subject text not null,
  status text not null check (status in ('sending', 'sent', 'failed')),
  message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  primary key (outbox_id, recipient)
);

-- The embedded queue driver (no Redis): the same queues, jobs kept in PostgreSQL.
create table queue_jobs (
  queue text not null,
  id text not null,
  data jsonb not null,
  run_at timestamptz not null,
  attempts integer not null default 0,
  max_attempts integer not null default 1,
  backoff_ms integer not null default 1000,
  status text not null default 'waiting' check (status in ('waiting', 'active', 'failed')),
  locked_until timestamptz,
  last_error text,
  primary key (queue, id)
);
create index queue_jobs_due on queue_jobs (queue, run_at) where status <> 'failed';

alter table jobs enable row level security;
alter table jobs force row level security;
create policy jobs_app on jobs to camau_app
  using (exists (select 1 from cases c where c.id = jobs.case_id))
  with check (exists (select 1 from cases c where c.id = jobs.case_id));
create policy jobs_worker on jobs to camau_worker using (true) with check (true);

alter table notifications enable row level security;
alter table notifications force row level security;
create policy notifications_app on notifications for select to camau_app
  using (exists (select 1 from cases c where c.id = notifications.case_id));
create policy notifications_worker on notifications to camau_worker using (true) with check (true);

grant select, insert, update on jobs to camau_app;
grant select on notifications to camau_app;
grant select, insert, update, delete on jobs, notifications, queue_jobs to camau_worker;
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
