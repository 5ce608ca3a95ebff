// Monitoring reports. Region-wide and Welsh Government views are aggregates: counts and
// medians, never a name or a case. A region's view covers the LAs of the regions where the
// caller holds a region role; the Welsh Government's covers Wales, by procedure and LA only.
import { z } from 'zod';
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import type { ApiContext, Services } from '../context.js';
import { ApiError } from '../errors.js';
import { CAPABILITIES, holds } from '../permissions.js';
import { Registry } from '../route.js';

const system = systemAccess('reports');

/** The LAs a report may cover for this caller, or 'all' for a national view. */
async function scope(ctx: ApiContext, trx: Knex): Promise<{ las: string[] | 'all'; national: boolean }> {
  const user = ctx.state.user;
  if (holds(user, 'reports.national')) return { las: 'all', national: true };
  // A region view needs a reporting role held at a region (the same role held at an LA is not enough).
  const allowed = CAPABILITIES['reports.region'] as readonly string[];
  const regions = user.roles.filter((r) => r.kind === 'region' && allowed.includes(r.role)).map((r) => r.organisationId);
  if (regions.length === 0) throw new ApiError('FORBIDDEN', 'Reports need a region-wide role held at a region, or the Welsh Government role');
  const las: string[] = await trx('organisations').whereIn('parent_id', regions).where({ kind: 'la' }).pluck('id');
  return { las, national: false };
}

const within = (q: Knex.QueryBuilder, las: string[] | 'all') => (las === 'all' ? q : q.whereIn('c.tenant_id', las));

export function reportRoutes(reg: Registry, { rt }: Services): void {
  const report = (path: string, summary: string, build: (trx: Knex, s: { las: string[] | 'all'; national: boolean }, now: string) => Promise<unknown>) =>
    reg.route({
      method: 'get', path: `/reports/${path}`, tag: 'reports', summary,
      query: z.object({}).strict(),
      responses: { 200: { description: 'Rows of aggregates' } },
      handler: async (ctx) => {
        ctx.body = await rt.db.transaction(system, async (trx) => {
          const s = await scope(ctx, trx);
          return { scope: s.national ? 'wales' : 'region', rows: await build(trx, s, rt.clock.now()) };
        });
      },
    });

  report('open-cases', 'Open cases by procedure, LA and school (Welsh Government: by procedure and LA)', (trx, s) => {
    const cols = s.national ? ['d.key', 'c.tenant_id'] : ['d.key', 'c.tenant_id', 'c.school_id'];
    return within(trx('cases as c').join('definitions as d', 'd.id', 'c.definition_id').where('c.status', 'active'), s.las)
      .select('d.key as procedure', 'c.tenant_id as la', ...(s.national ? [] : ['c.school_id as school'])).count('* as cases').groupBy(cols).orderBy(cols);
  });

  report('stages', 'Open tasks by procedure and stage', (trx, s) =>
    within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', 'open'), s.las)
      .select('d.key as procedure', 't.element_id as stage').count('* as open').groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']));

  report('overdue-tasks', 'Tasks past their due date by procedure, stage and LA', (trx, s, now) =>
    within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', 'open').andWhere('t.due_at', '<', now), s.las)
      .select('d.key as procedure', 't.element_id as stage', 'c.tenant_id as la').count('* as overdue').groupBy('d.key', 't.element_id', 'c.tenant_id').orderBy(['d.key', 't.element_id', 'c.tenant_id']));

  report('stage-times', 'Median hours from a task opening to its completion, by procedure and stage', (trx, s) =>
    within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', 'completed'), s.las)
      .select('d.key as procedure', 't.element_id as stage', trx.raw('count(*) as completed'), trx.raw(`round((percentile_cont(0.5) within group (order by extract(epoch from (t.closed_at - t.created_at))) / 3600)::numeric, 2) as "medianHours"`))
      .groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']));

  report('signoff-turnaround', 'Median hours to complete a joint sign-off, by procedure and stage', (trx, s) =>
    within(trx('tasks as t').join('cases as c', 'c.id', 't.case_id').join('definitions as d', 'd.id', 'c.definition_id').where('t.status', 'completed').whereNotNull('t.signoff'), s.las)
      .select('d.key as procedure', 't.element_id as stage', trx.raw('count(*) as signed'), trx.raw(`round((percentile_cont(0.5) within group (order by extract(epoch from (t.closed_at - t.created_at))) / 3600)::numeric, 2) as "medianHours"`))
      .groupBy('d.key', 't.element_id').orderBy(['d.key', 't.element_id']));
}
