// The first schema. Forward only: later changes are new migrations, never edits of this one.
import type { Knex } from 'knex';
import { statements } from '../sql.js';

/** Roles are cluster-wide; two databases migrating at once may race to create them. */
const ROLES = `
do $$
begin
  begin create role camau_app nologin; exception when duplicate_object or unique_violation then null; end;
  begin create role camau_worker nologin; exception when duplicate_object or unique_violation then null; end;
end $$;
grant camau_app to current_user;
grant camau_worker to current_user;
`;

const TABLES = `
create table organisations (
  id text primary key,
  kind text not null check (kind in ('region', 'la', 'school')),
  name text not null,
  name_cy text,
  parent_id text references organisations(id),
  -- Schools only: decides who employs the staff (community and voluntary controlled: the LA;
  -- voluntary aided and foundation: the governing body).
  category text check (category in ('community', 'voluntary-controlled', 'voluntary-aided', 'foundation')),
  created_at timestamptz not null default now(),
  check ((kind = 'region') = (parent_id is null)),
  check ((kind = 'school') = (category is not null))
);

create table people (
  id text primary key,
  -- The LA whose records these are (employee data stays with it).
  la_id text not null references organisations(id),
  organisation_id text not null references organisations(id),
  kind text not null check (kind in ('staff', 'governor', 'officer', 'adviser')),
  name text not null,
  email text,
  language text not null default 'both' check (language in ('cy', 'en', 'both')),
  created_at timestamptz not null default now()
);

create table users (
  id text primary key,
  person_id text references people(id),
  display_name text not null,
  email text,
  language text not null default 'both' check (language in ('cy', 'en', 'both')),
  created_at timestamptz not null default now()
);

create table role_assignments (
  user_id text not null references users(id),
  role text not null,
  organisation_id text not null references organisations(id),
  primary key (user_id, role, organisation_id)
);

create table definitions (
  id bigserial primary key,
  key text not null,
  version integer not null,
  kind text not null check (kind in ('bpmn', 'xstate', 'dmn')),
  flavour text,
  source text not null,
  hash text not null,
  deployed_by text,
  deployed_at timestamptz not null default now(),
  unique (key, version),
  unique (key, hash)
);

create table cases (
  id uuid primary key,
  definition_id bigint not null references definitions(id),
  -- The employing LA: the tenant. Every case row and everything hanging off it is filtered by it.
  tenant_id text not null references organisations(id),
  school_id text references organisations(id),
  subject_kind text not null check (subject_kind in ('school', 'staff')),
  subject_person_id text references people(id),
  employer text not null check (employer in ('la', 'governing-body')),
  status text not null,
  snapshot jsonb not null,
  version integer not null,
  -- The head of the history, kept with the row so an append needs no extra read.
  last_seq integer not null default 0,
  last_hash text not null default '${'0'.repeat(64)}',
  parent_case_id uuid references cases(id),
  parent_eid text,
  business_key text,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((subject_kind = 'staff') = (subject_person_id is not null))
);
create index cases_tenant on cases (tenant_id, status);
create index cases_parent on cases (parent_case_id);

create table case_events (
  case_id uuid not null references cases(id),
  seq integer not null,
  type text not null,
  payload jsonb not null,
  actor jsonb not null,
  at timestamptz not null,
  prev_hash text not null,
  hash text not null,
  primary key (case_id, seq)
);

create table tasks (
  case_id uuid not null references cases(id),
  eid text not null,
  element_id text not null,
  name text,
  names jsonb,
  assignee text,
  candidate_groups text[] not null default '{}',
  candidate_users text[] not null default '{}',
  form_key text,
  due_at timestamptz,
  follow_up_at timestamptz,
  signoff jsonb,
  status text not null check (status in ('open', 'completed', 'cancelled')),
  created_at timestamptz not null,
  closed_at timestamptz,
  primary key (case_id, eid)
);
create index tasks_open on tasks (status, due_at) where status = 'open';

create table timers (
  case_id uuid not null references cases(id),
  timer_id text not null,
  element_id text not null,
  due_at timestamptz not null,
  status text not null check (status in ('pending', 'fired', 'cancelled')),
  primary key (case_id, timer_id)
);
create index timers_due on timers (due_at) where status = 'pending';

create table subscriptions (
  case_id uuid not null references cases(id),
  sub_id text not null,
  kind text not null check (kind in ('message', 'signal', 'conditional')),
  name text,
  correlation_key text,
  element_id text not null,
  primary key (case_id, sub_id)
);
create index subscriptions_name on subscriptions (kind, name, correlation_key);

create table incidents (
  case_id uuid not null references cases(id),
  incident_id text not null,
  code text not null,
  message text not null,
  element_id text,
  eid text,
  status text not null check (status in ('open', 'resolved')),
  created_at timestamptz not null,
  resolved_at timestamptz,
  primary key (case_id, incident_id)
);

create table outbox (
  id bigserial primary key,
  case_id uuid references cases(id),
  kind text not null,
  payload jsonb not null,
  available_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index outbox_pending on outbox (available_at) where status = 'pending';

create table case_grants (
  id bigserial primary key,
  case_id uuid not null references cases(id),
  user_id text not null references users(id),
  reason text not null,
  expires_at timestamptz not null,
  granted_by text not null,
  created_at timestamptz not null default now()
);
create index case_grants_user on case_grants (user_id, case_id);
`;

/** The history is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks. */
const APPEND_ONLY = `
create function case_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'case_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger case_events_no_update before update or delete on case_events for each row execute function case_events_append_only();
create trigger case_events_no_truncate before truncate on case_events for each statement execute function case_events_append_only();
`;

/**
 * Row-level security. A case is visible to camau_app when its LA is among the session's
 * tenants, or it is a school-level case of an LA in the session's region scope, or the user
 * holds an unexpired grant for it. Rows hanging off a case are visible exactly when the case
 * is (the subquery on cases is itself filtered by the cases policy).
 */
const RLS = `
create function camau_setting_list(name text) returns text[] language sql stable as $$
  select coalesce(string_to_array(nullif(current_setting(name, true), ''), ','), '{}'::text[])
$$;

alter table cases enable row level security;
alter table cases force row level security;
create policy cases_app on cases to camau_app
  using (
    tenant_id = any (camau_setting_list('camau.tenant_ids'))
    or (subject_kind = 'school' and tenant_id = any (camau_setting_list('camau.school_tenant_ids')))
    or exists (select 1 from case_grants g where g.case_id = cases.id and g.user_id = current_setting('camau.user_id', true) and g.expires_at > now())
  )
  with check (
    tenant_id = any (camau_setting_list('camau.tenant_ids'))
    or (subject_kind = 'school' and tenant_id = any (camau_setting_list('camau.school_tenant_ids')))
    or exists (select 1 from case_grants g where g.case_id = cases.id and g.user_id = current_setting('camau.user_id', true) and g.expires_at > now())
  );
create policy cases_worker on cases to camau_worker using (true) with check (true);

alter table case_grants enable row level security;
alter table case_grants force row level security;
create policy case_grants_app on case_grants for select to camau_app using (user_id = current_setting('camau.user_id', true));
create policy case_grants_worker on case_grants to camau_worker using (true) with check (true);

alter table people enable row level security;
alter table people force row level security;
create policy people_app on people to camau_app
  using (la_id = any (camau_setting_list('camau.tenant_ids')) or kind <> 'staff')
  with check (la_id = any (camau_setting_list('camau.tenant_ids')));
create policy people_worker on people to camau_worker using (true) with check (true);
`;

const CASE_TABLES = ['case_events', 'tasks', 'timers', 'subscriptions', 'incidents', 'outbox'];

function caseChildPolicies(): string {
  return CASE_TABLES.map((t) => `
alter table ${t} enable row level security;
alter table ${t} force row level security;
create policy ${t}_app on ${t} to camau_app
  using (exists (select 1 from cases c where c.id = ${t}.case_id))
  with check (exists (select 1 from cases c where c.id = ${t}.case_id));
create policy ${t}_worker on ${t} to camau_worker using (true) with check (true);
`).join('');
}

const GRANTS = `
grant usage on schema public to camau_app, camau_worker;
grant select on organisations, users, role_assignments, definitions to camau_app;
grant select, insert, update on people, cases, tasks, timers, subscriptions, incidents to camau_app;
grant delete on subscriptions to camau_app;
grant select, insert on case_events, outbox, case_grants to camau_app;
grant select, insert, update, delete on all tables in schema public to camau_worker;
grant usage, select on all sequences in schema public to camau_app, camau_worker;
`;

export async function up(knex: Knex): Promise<void> {
  for (const sql of [ROLES, TABLES, APPEND_ONLY, RLS, caseChildPolicies(), GRANTS]) {
    for (const statement of statements(sql)) await knex.raw(statement);
  }
}

export async function down(): Promise<void> {
  throw new Error('Camau migrations are forward only');
}
