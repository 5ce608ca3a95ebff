// Reports: the API's monitoring views as tables, each with a bar chart drawn on the server,
// filtered by LA and (for region roles) school.
import type Router from '@koa/router';
import { z } from 'zod';
import { barChart } from '../chart.js';
import { reports } from '../data/reports.js';
import { procedureNames } from '../data/procedures.js';
import { requireCap } from '../data/case.js';
import { bilingual, orgName } from '../orgs.js';
import { formatNumber } from '../format.js';
import { pageOf, type WebDeps } from '../page.js';
import { render } from '../render.js';

const Query = z.object({
  la: z.string().max(200).optional().catch(undefined),
  school: z.string().max(200).optional().catch(undefined),
});

export function reportRoutes(router: Router, deps: WebDeps): void {
  router.get('/reports', async (ctx) => {
    const { user, lang, t, dir } = pageOf(ctx);
    const q = Query.parse(ctx.query);
    const [data, names] = await Promise.all([reports(deps.rt, user!, { la: q.la || undefined, school: q.school || undefined }, deps.rt.clock.now()), procedureNames(deps.rt, lang)]);
    requireCap(!!data);
    const proc = (k: string) => names.get(k) ?? k;
    const stage = (r: Record<string, any>) => bilingual(r.name ?? r.stage, lang, r.names);
    const n = (x: number) => formatNumber(x, lang);
    const d = data!;
    render(ctx, 'reports', {
      title: t('reports.title'), current: 'reports', q, d, proc, stage,
      scopeText: d.national ? t('reports.scopeWales') : t('reports.scopeRegion'),
      schools: d.schools.filter((s) => !q.la || dir.orgs.get(s)?.parent_id === q.la),
      charts: {
        openCases: barChart('chart-open', t('reports.openCases.chart'), d.openCases.map((r) => ({ label: `${proc(r.procedure)} – ${orgName(dir, d.national ? r.la : r.school, lang)}`, value: r.cases })), n),
        stages: barChart('chart-stages', t('reports.stages.chart'), d.stages.map((r) => ({ label: stage(r), value: r.open })), n),
        overdue: barChart('chart-overdue', t('reports.overdue.chart'), d.overdue.map((r) => ({ label: `${stage(r)} – ${orgName(dir, r.la, lang)}`, value: r.overdue })), n),
        stageTimes: barChart('chart-times', t('reports.stageTimes.chart'), d.stageTimes.map((r) => ({ label: stage(r), value: r.medianHours ?? 0 })), n),
        signoff: barChart('chart-signoff', t('reports.signoff.chart'), d.signoff.map((r) => ({ label: stage(r), value: r.medianHours ?? 0 })), n),
      },
    });
  });
}
