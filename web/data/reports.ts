// The monitoring reports of GET /api/v1/reports/* (api/routes/reports.ts), with the page's LA and
// school filters. Region views cover the LAs of the caller's regions; the Welsh Government's
// covers Wales by procedure and LA only (never a school, a name or a case).
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import type { UserAccess } from '../../runtime/access.js';
import type { Runtime } from '../../runtime/runtime.js';
import { holds } from '../../api/permissions.js';

export interface ReportScope {
  las: string[] | 'all';
  national: boolean;
}

export interface ReportFilter {
  la?: string;
  school?: string;
}

export type Row = Record<string, any>;

export async function reportScope(trx: Knex, user: UserAccess): Promise<ReportScope | undefined> {
  if (holds(user, 'reports.national')) return { las: 'all', national: true };
  if (!holds(user, 'reports.region')) return undefined;
  const regions = user.roles.filter((r) => r.kind === 'region').map((r) => r.organisationId);
  return { las: await trx('organisations').whereIn('parent_id', regions).where({ kind: 'la' }).pluck('id'), national: false };
}

export async function reports(rt: Runtime, user: UserAccess, f: ReportFilter, now: string) {
  return rt.db.transaction(systemAccess('web: reports'), async (trx) => {
    const s = await reportScope(trx, user);
    if (!s) return undefined;
    const las: string[] = s.las === 'all' ? await trx('organisations').where({ kind: 'la' }).orderBy('id').pluck('id') : s.las;
    const within = (q: Knex.QueryBuilder) => {
      q.whereIn('c.tenant_id', f.la && las.includes(f.la) ? [f.la] : las);
      if (f.school && !s.national) q.where('c.school_id', f.school);
      return q;
    };
    const tasks = (status: string) => within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', status));
    const cols = s.national ? ['d.key', 'c.tenant_id'] : ['d.key', 'c.tenant_id', 'c.school_id'];
    const median = `round((percentile_cont(0.5) within group (order by extract(epoch from (t.closed_at - t.created_at))) / 3600)::numeric, 2)`;
    const stageName = [trx.raw('min(t.name) as name'), trx.raw('(array_agg(t.names))[1] as names')];
    const num = (rows: Row[], ...keys: string[]) => rows.map((r) => ({ ...r, ...Object.fromEntries(keys.map((k) => [k, r[k] === null ? null : Number(r[k])])) }));
    const schools: string[] = s.national ? [] : await trx('organisations').whereIn('parent_id', las).where({ kind: 'school' }).orderBy('id').pluck('id');
    return {
      national: s.national, las, schools,
      openCases: num(await within(trx('cases as c').join('definitions as d', 'd.id', 'c.definition_id').where('c.status', 'active'))
        .select('d.key as procedure', 'c.tenant_id as la', ...(s.national ? [] : ['c.school_id as school'])).count('* as cases').groupBy(cols).orderBy(cols), 'cases'),
      stages: num(await tasks('open').select('d.key as procedure', 't.element_id as stage', ...stageName).count('* as open').groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']), 'open'),
      overdue: num(await tasks('open').andWhere('t.due_at', '<', now).select('d.key as procedure', 't.element_id as stage', ...stageName, 'c.tenant_id as la').count('* as overdue').groupBy('d.key', 't.element_id', 'c.tenant_id').orderBy(['d.key', 't.element_id', 'c.tenant_id']), 'overdue'),
      stageTimes: num(await tasks('completed').select('d.key as procedure', 't.element_id as stage', ...stageName, trx.raw('count(*) as completed'), trx.raw(`${median} as "medianHours"`)).groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']), 'completed', 'medianHours'),
      signoff: num(await tasks('completed').whereNotNull('t.signoff').select('d.key as procedure', 't.element_id as stage', ...stageName, trx.raw('count(*) as signed'), trx.raw(`${median} as "medianHours"`)).groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']), 'signed', 'medianHours'),
    };
  });
}
