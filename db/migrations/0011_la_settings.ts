// Per-LA policy settings of a workflow (issue 6 item 6): the values an LA has chosen (notice
// days, period lengths, the trigger table's decision id, the term dates it follows) where they
// differ from the defaults the models carry. start-case gives them to a new case as start
// variables under any the caller gave, and the model's first step records them, so a case keeps
// the values it started with whatever the LA changes later.
//
// camau_start_context (0009) returns them too, as `settings`: start-case's lookups stay one
// statement, and a start computed from remembered lookups is refused by camau_apply (and run
// again) when the LA's settings have changed since, as when the school or the definition has.
// Settings are policy, not personal data: every caller may read them; only workers (the API,
// after its permission check, as the system) write them.
// (No question marks in the SQL below: knex would take them for bindings.)
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
create table la_settings (
  la_id text not null references organisations(id),
  workflow_key text not null,
  -- Only the values the LA has set: { "noticeDays": 7, ... }; a value not here is the model's default.
  settings jsonb not null check (jsonb_typeof(settings) = 'object'),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (la_id, workflow_key)
);
grant select on la_settings to camau_app;
grant select, insert, update, delete on la_settings to camau_worker;

create or replace function camau_start_context(p_school text, p_person text, p_key text, p_version integer) returns jsonb language plpgsql stable as $$
declare
  v_person jsonb;
  v_school_id text := p_school;
begin
  if p_person is not null then
    select jsonb_build_object('id', pp.id, 'kind', pp.kind, 'organisation_id', pp.organisation_id) into v_person from people pp where pp.id = p_person;
    v_school_id := v_person->>'organisation_id';
  end if;
  return jsonb_build_object(
    'person', v_person,
    'school', (select jsonb_build_object('id', s.id, 'kind', s.kind, 'name', s.name, 'name_cy', s.name_cy, 'parent_id', s.parent_id, 'category', s.category) from organisations s where s.id = v_school_id),
    'la', (select jsonb_build_object('id', l.id, 'kind', l.kind, 'name', l.name, 'name_cy', l.name_cy, 'parent_id', l.parent_id, 'category', l.category)
           from organisations s join organisations l on l.id = s.parent_id where s.id = v_school_id),
    'definition', (select jsonb_build_object('id', d.id::text, 'key', d.key, 'version', d.version, 'kind', d.kind, 'flavour', d.flavour, 'hash', d.hash)
                   from definitions d where d.key = p_key and (p_version is null or d.version = p_version) order by d.version desc limit 1),
    'settings', (select ls.settings from organisations s join la_settings ls on ls.la_id = s.parent_id where s.id = v_school_id and ls.workflow_key = p_key));
end $$;
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
