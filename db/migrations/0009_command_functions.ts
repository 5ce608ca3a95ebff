// A command's statements as PL/pgSQL functions, so that each reaches the server in one round
// trip and its plans (row-level security included) are prepared once per session instead of
// on every call. They are SECURITY INVOKER: they run as the caller's role, under the same
// policies as the statements they replace, and write exactly the same rows.
//
// - camau_lock_case(id): the case row, locked FOR UPDATE (what a command on a case reads first).
// - camau_start_context(school, person, key, version): what start-case looks up before the
//   engine runs: the staff member (if any), the school, its LA and the latest (or the given)
//   version of the definition, without its source.
// - camau_apply(p): everything a step writes, from one JSON document (runtime/execute.ts and
//   db/repositories/steps.ts build it): the new case row or the updated one, the chained
//   history entries, the projection changes in the order the step produced them, the outbox.
//   A step the runtime computed from a case state (or start-case lookups) it remembered from
//   an earlier command carries what it assumed; the function checks it under the row lock and
//   writes nothing (returns false) if the case or the lookups have changed since. Every row it
//   writes for a case carries the case's tenant, subject kind and school key (migration 0008):
//   from the new case, or from the document (the case as the caller locked or remembered it;
//   the foreign keys check them against the case).
// (No question marks in the SQL below: knex would take them for bindings.)
import type { Knex } from 'knex';
import { statements } from '../sql.js';

const SQL = `
create function camau_lock_case(p_id uuid) returns setof cases language plpgsql as $$
begin
  return query select * from cases where id = p_id for update;
end $$;

create function camau_start_context(p_school text, p_person text, p_key text, p_version integer) returns jsonb language plpgsql stable as $$
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
                   from definitions d where d.key = p_key and (p_version is null or d.version = p_version) order by d.version desc limit 1));
end $$;

create function camau_apply(p jsonb) returns boolean language plpgsql as $$
declare
  v_case uuid := (p->>'case')::uuid;
  v_at timestamptz := (p->>'at')::timestamptz;
  -- What the case's visibility depends on, copied onto every row written for it (migration 0008).
  v_tenant text;
  v_kind text;
  v_school text;
  v_ctx jsonb;
  v_op jsonb;
  v_data jsonb;
  v_ops integer;
begin
  if p->'new' is not null then
    -- A start computed from lookups the caller remembered: only if they still give the same answer.
    if p->'context' is not null then
      v_ctx := p->'context';
      if camau_start_context(v_ctx->>'school', v_ctx->>'person', v_ctx->>'key', (v_ctx->>'version')::integer) is distinct from v_ctx->'value' then
        return false;
      end if;
    end if;
    v_tenant := p->'new'->>'tenant_id';
    v_kind := p->'new'->>'subject_kind';
    v_school := coalesce(p->'new'->>'school_id', '');
    insert into cases (id, definition_id, tenant_id, school_id, calendar_la, subject_kind, subject_person_id, employer, status, snapshot, version,
                       last_seq, last_hash, parent_case_id, parent_eid, business_key, created_by, created_at, updated_at)
    select v_case, n.definition_id, n.tenant_id, n.school_id, n.calendar_la, n.subject_kind, n.subject_person_id, n.employer, p->>'status', p->'state', (p->>'version')::integer,
           (p->>'seq')::integer, p->>'hash', n.parent_case_id, n.parent_eid, n.business_key, n.created_by, v_at, v_at
    from jsonb_to_record(p->'new') as n(definition_id bigint, tenant_id text, school_id text, calendar_la text, subject_kind text, subject_person_id text,
                                        employer text, parent_case_id uuid, parent_eid text, business_key text, created_by text);
  else
    -- The locked case's visibility, as the caller read it (the foreign keys check it against the case).
    v_tenant := p->'visibility'->>'tenant_id';
    v_kind := p->'visibility'->>'subject_kind';
    v_school := p->'visibility'->>'school_key';
    if p->'state' is not null then
      -- A step computed from a case state the caller remembered applies only if the case is still
      -- at that version and head, as visible to the caller as it was: the update finds no row
      -- otherwise (it waits for a concurrent command on the case, then looks at the row that
      -- command left).
      update cases set snapshot = p->'state', status = p->>'status', version = (p->>'version')::integer, last_seq = (p->>'seq')::integer,
                       last_hash = p->>'hash', updated_at = v_at
      where id = v_case
        and (p->'expect' is null
             or (version = (p->'expect'->>'version')::integer and last_hash = p->'expect'->>'hash'
                 and tenant_id = v_tenant and subject_kind = v_kind and school_key = v_school));
      if not found and p->'expect' is not null then
        return false;
      end if;
    end if;
  end if;
  if jsonb_array_length(coalesce(p->'events', '[]')) > 0 then
    insert into case_events (case_id, seq, type, payload, actor, at, prev_hash, hash, tenant_id, subject_kind, school_key)
    select v_case, (e->>'seq')::integer, e->>'type', e->'payload', p->'actor', v_at, e->>'prev', e->>'hash', v_tenant, v_kind, v_school
    from jsonb_array_elements(p->'events') as e;
  end if;
  v_ops := jsonb_array_length(coalesce(p->'ops', '[]'));
  for i in 0 .. v_ops - 1 loop
    v_op := p->'ops'->i;
    v_data := v_op->1;
    case v_op->>0
      when 'jobs' then
        insert into jobs (case_id, job_id, element_id, type, retries, activation, status, created_at, tenant_id, subject_kind, school_key)
        select v_case, r.job_id, r.element_id, r.type, r.retries, r.activation, 'open', v_at, v_tenant, v_kind, v_school
        from jsonb_to_recordset(v_data) as r(job_id text, element_id text, type text, retries integer, activation integer)
        on conflict (case_id, job_id) do update set retries = excluded.retries, status = excluded.status, activation = excluded.activation;
      when 'tasks' then
        insert into tasks (case_id, eid, element_id, name, names, assignee, candidate_groups, candidate_users, form_key, due_at, follow_up_at, signoff, status, created_at,
                           tenant_id, subject_kind, school_key)
        select v_case, r.eid, r.element_id, r.name, r.names, r.assignee, coalesce(r.candidate_groups, '{}'), coalesce(r.candidate_users, '{}'), r.form_key, r.due_at,
               r.follow_up_at, r.signoff, 'open', v_at, v_tenant, v_kind, v_school
        from jsonb_to_recordset(v_data) as r(eid text, element_id text, name text, names jsonb, assignee text, candidate_groups text[], candidate_users text[],
                                             form_key text, due_at timestamptz, follow_up_at timestamptz, signoff jsonb);
      when 'timers' then
        insert into timers (case_id, timer_id, element_id, due_at, status, tenant_id, subject_kind, school_key)
        select v_case, r.timer_id, r.element_id, r.due_at, 'pending', v_tenant, v_kind, v_school
        from jsonb_to_recordset(v_data) as r(timer_id text, element_id text, due_at timestamptz);
      when 'subscriptions' then
        insert into subscriptions (case_id, sub_id, kind, name, correlation_key, element_id, tenant_id, subject_kind, school_key)
        select v_case, r.sub_id, r.kind, r.name, r.correlation_key, r.element_id, v_tenant, v_kind, v_school
        from jsonb_to_recordset(v_data) as r(sub_id text, kind text, name text, correlation_key text, element_id text);
      when 'incidents' then
        insert into incidents (case_id, incident_id, code, message, element_id, eid, status, created_at, tenant_id, subject_kind, school_key)
        select v_case, r.incident_id, r.code, r.message, r.element_id, r.eid, 'open', v_at, v_tenant, v_kind, v_school
        from jsonb_to_recordset(v_data) as r(incident_id text, code text, message text, element_id text, eid text);
      when 'timer' then
        update timers set status = v_data->>'status' where case_id = v_case and timer_id = v_data->>'id';
      when 'unsubscribe' then
        delete from subscriptions where case_id = v_case and sub_id = v_data->>'id';
      when 'resolve' then
        update incidents set status = 'resolved', resolved_at = v_at where case_id = v_case and incident_id = v_data->>'id';
      when 'task' then
        update tasks set assignee = v_data->>'assignee', signoff = v_data->'signoff' where case_id = v_case and eid = v_data->>'eid';
      when 'close' then
        update tasks set status = v_data->>'status', closed_at = v_at where case_id = v_case and eid = v_data->>'eid';
      when 'cancelJob' then
        update jobs set status = 'cancelled' where case_id = v_case and job_id = v_data->>'id';
      when 'jobsDone' then
        update jobs set status = 'completed' where case_id = v_case and status = 'open' and job_id in (select jsonb_array_elements_text(v_data));
      when 'failJob' then
        update jobs set status = 'failed' where case_id = v_case and job_id = v_data->>'id';
    end case;
  end loop;
  if jsonb_array_length(coalesce(p->'outbox', '[]')) > 0 then
    insert into outbox (case_id, kind, payload, available_at, tenant_id, subject_kind, school_key)
    select v_case, o->>'kind', o->'payload', v_at, v_tenant, v_kind, v_school
    from jsonb_array_elements(p->'outbox') as o;
  end if;
  return true;
end $$;
`;

export async function up(knex: Knex): Promise<void> {
  for (const s of statements(SQL)) await knex.raw(s);
}
