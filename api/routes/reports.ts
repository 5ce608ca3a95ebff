// Monitoring reports. Region-wide and Welsh Government views are aggregates: counts and
// medians, never a name or a case. A region's view covers the LAs of the regions where the
// caller holds a region role; the Welsh Government's covers Wales, by procedure and LA only.
// The queries are db/repositories/reports.ts, shared with the Reports page.
import { z } from 'zod';
import type { Knex } from 'knex';
import { systemAccess } from '../../db/access.js';
import { lasOf, openCases, overdueTasks, signoffTurnaround, stages, stageTimes, type ReportRow, type ReportScope } from '../../db/repositories/reports.js';
import type { ApiContext, Services } from '../context.js';
import { ApiError } from '../errors.js';
import { CAPABILITIES, holds } from '../permissions.js';
import { Registry } from '../route.js';

const system = systemAccess('reports');

/** The LAs a report may cover for this caller, or 'all' for a national view. */
async function scope(ctx: ApiContext, trx: Knex): Promise<ReportScope> {
  const user = ctx.state.user;
  if (holds(user, 'reports.national')) return { las: 'all', national: true };
  // A region view needs a reporting role held at a region (the same role held at an LA is not enough).
  const allowed = CAPABILITIES['reports.region'] as readonly string[];
  const regions = user.roles.filter((r) => r.kind === 'region' && allowed.includes(r.role)).map((r) => r.organisationId);
  if (regions.length === 0) throw new ApiError('FORBIDDEN', 'Reports need a region-wide role held at a region, or the Welsh Government role');
  return { las: await lasOf(trx, regions), national: false };
}

export function reportRoutes(reg: Registry, { rt }: Services): void {
  const report = (path: string, summary: string, build: (trx: Knex, s: ReportScope, now: string) => Promise<ReportRow[]>) =>
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

  report('open-cases', 'Open cases by procedure, LA and school (Welsh Government: by procedure and LA)', (trx, s) => openCases(trx, s));
  report('stages', 'Open tasks by procedure and stage', (trx, s) => stages(trx, s));
  report('overdue-tasks', 'Tasks past their due date by procedure, stage and LA', (trx, s, now) => overdueTasks(trx, s, now));
  report('stage-times', 'Median hours from a task opening to its completion, by procedure and stage', (trx, s) => stageTimes(trx, s));
  report('signoff-turnaround', 'Median hours to complete a joint sign-off, by procedure and stage', (trx, s) => signoffTurnaround(trx, s));
}
