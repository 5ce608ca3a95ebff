// Rows hanging off a case carry what the case's visibility depends on, so their row-level
// security tests columns of the row instead of looking the case up (under its own policy) for
// every row: the same rows are visible, at a fraction of the cost.
//
// A case is visible to camau_app when its LA is among the session's tenants, or it is a
// school-level case of an LA in the session's region scope, or its school is among the
// session's schools, or the user holds an unexpired grant for it (0001, 0004). Each table
// below gets the case's tenant_id, subject_kind and school_key (its school, or '' for none);
// a foreign key from (case_id, tenant_id, subject_kind, school_key) to the same columns of
// cases makes them always equal to the case's (changes to the case cascade), so the policy
//   tenant_id in tenants, or (school case and tenant_id in region tenants), or school_key in
//   schools, or a grant for case_id
// holds for a row exactly when the old one, "its case is visible", did. Rows written without
// these columns (by hand, or by code that predates them) get them from their case: a trigger
// fills them as the writer may see the case (what it may not see stays empty, and the policy
// refuses the row as it refused it before).
import type { Knex } from 'knex';
import { statements } from '../sql.js';

/** Tables whose rows belong to one case, with the case's visibility in their policy. */
const CHILDREN = ['case_events', 'tasks', 'timers', 'subscriptions', 'incidents', 'outbox', 'jobs'];

// In WITH CHECK a grant is looked up row by row, and only for a row the other tests refuse
// ("offset 0" keeps the planner from preparing a hash of all the user's grants for each write).
const visible = (t: string, grant: string) => `
    tenant_id = any (camau_setting_list('camau.tenant_ids'))
    or (subject_kind = 'school' and tenant_id = any (camau_setting_list('camau.school_tenant_ids')))
    or (school_key <> '' and school_key = any (camau_setting_list('camau.school_ids')))
    or exists (select 1 from case_grants g where g.case_id = ${t}.case_id and g.user_id = current_setting('camau.user_id', true) and g.expires_at > now()${grant})`;

const CASES = `
alter table cases add column school_key text generated always as (coalesce(school_id, '')) stored;
alter table cases add constraint cases_visibility_key unique (id, tenant_id, subject_kind, school_key);

-- Fills the visibility columns of a row from its case (as the writer may see it).
create function camau_case_visibility() returns trigger language plpgsql as $$
begin
  select c.tenant_id, c.subject_kind, c.school_key into new.tenant_id, new.subject_kind, new.school_key from cases c where c.id = new.case_id;
  return new;
end $$;

-- History stays append-only; only a change of its case's visibility (a cascade) may touch a row.
create or replace function case_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if (new.case_id, new.seq, new.type, new.payload, new.actor, new.at, new.prev_hash, new.hash)
       is not distinct from (old.case_id, old.seq, old.type, old.payload, old.actor, old.at, old.prev_hash, old.hash) then
      return new;
    end if;
  end if;
  raise exception 'case_events is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;
`;

function child(t: string): string {
  const nullable = t === 'outbox';
  return `
alter table ${t} add column tenant_id text, add column subject_kind text, add column school_key text;
${t === 'case_events' ? 'alter table case_events disable trigger case_events_no_update;' : ''}
update ${t} x set tenant_id = c.tenant_id, subject_kind = c.subject_kind, school_key = c.school_key from cases c where c.id = x.case_id;
${t === 'case_events' ? 'alter table case_events enable trigger case_events_no_update;' : ''}
${nullable
    ? `alter table ${t} add constraint ${t}_visibility_present check ((case_id is null) = (tenant_id is null) and (case_id is null) = (subject_kind is null) and (case_id is null) = (school_key is null));`
    : `alter table ${t} alter column tenant_id set not null, alter column subject_kind set not null, alter column school_key set not null;`}
alter table ${t} add constraint ${t}_case_fkey foreign key (case_id, tenant_id, subject_kind, school_key)
  references cases (id, tenant_id, subject_kind, school_key) on update cascade;
alter table ${t} drop constraint ${t}_case_id_fkey;
create trigger ${t}_visibility_on_insert before insert on ${t} for each row
  when (new.case_id is not null and (new.tenant_id is null or new.subject_kind is null or new.school_key is null))
  execute function camau_case_visibility();
create trigger ${t}_visibility_on_move before update of case_id on ${t} for each row
  when (new.case_id is distinct from old.case_id)
  execute function camau_case_visibility();
drop policy ${t}_app on ${t};
create policy ${t}_app on ${t} to camau_app
  using (${visible(t, '')})
  with check (${visible(t, ' offset 0')});
`;
}

export async function up(knex: Knex): Promise<void> {
  for (const sql of [CASES, ...CHILDREN.map(child)]) {
    for (const s of statements(sql)) await knex.raw(s);
  }
}
