// A case: its status, the active steps with their due dates, open timers, incidents (with a
// retry button for the roles allowed), and for BPMN cases the diagram with completed and active
// elements marked. Also the list of cases the caller can see.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { holds } from '../../api/permissions.js';
import { listCases, orgsOf } from '../../api/cases-repo.js';
import { activeSteps } from '../../api/views.js';
import { caseFor, mayReadVariables, requireCap, subjectName, type CaseWithOrgs } from '../data/case.js';
import { diagramXml, markersFor } from '../data/diagram.js';
import { elementNames } from '../data/elements.js';
import { procedureNames, procedures } from '../data/procedures.js';
import { refusal } from '../errors.js';
import { pageOf, type WebDeps } from '../page.js';
import { pagination } from '../paging.js';
import { render } from '../render.js';
import { withNotice } from './task.js';

const PAGE_SIZE = 25;

const ListQuery = z.object({
  status: z.enum(['active', 'completed', 'terminated', 'failed', '']).optional().catch(undefined),
  procedure: z.string().max(200).optional().catch(undefined),
  school: z.string().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
});

export function caseRoutes(router: Router, deps: WebDeps): void {
  const { rt } = deps;

  router.get('/cases', async (ctx) => {
    const { user, lang, t, dir } = pageOf(ctx);
    requireCap(holds(user!, 'cases.read'));
    const q = ListQuery.parse(ctx.query);
    const [{ items, total }, names, procs] = await Promise.all([
      listCases(rt, user!.access, { status: q.status || undefined, definitionKey: q.procedure || undefined, schoolId: q.school || undefined, page: q.page, pageSize: PAGE_SIZE }),
      procedureNames(rt, lang), procedures(rt),
    ]);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: q.status, procedure: q.procedure, school: q.school })) if (v) params.set(k, v);
    const schools = [...dir.orgs.values()].filter((o) => o.kind === 'school' && holds(user!, 'cases.read', [o.id, o.parent_id, o.parent_id ? dir.orgs.get(o.parent_id)?.parent_id : null])).map((o) => o.id);
    render(ctx, 'cases', {
      title: t('cases.title'), current: 'cases', q, items, total, schools,
      procedures: procs.map((p) => p.key), procedureName: (k: string) => names.get(k) ?? k,
      pages: pagination(ctx, '/cases', params, q.page, PAGE_SIZE, total),
    });
  });

  async function show(ctx: Context, c: CaseWithOrgs, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const { user, lang, t } = pageOf(ctx);
    requireCap(holds(user!, 'cases.read', orgsOf(c)));
    const s = c.snapshot;
    const [names, subject, xml, elName] = await Promise.all([procedureNames(rt, lang), subjectName(rt, user!, c), s.def.kind === 'bpmn' ? diagramXml(rt, String(c.definition_id), lang) : null, elementNames(rt, String(c.definition_id), lang)]);
    const procedure = names.get(c.definition_key) ?? c.definition_key;
    render(ctx, 'case', {
      title: t('case.title', { procedure }),
      current: 'cases', c, subject, procedure, elName,
      steps: activeSteps(s),
      timers: Object.values(s.timers).sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
      incidents: Object.values(s.incidents),
      failure: s.failure,
      now: rt.clock.now(),
      canRetry: holds(user!, 'incidents.retry', orgsOf(c)),
      canHistory: holds(user!, 'history.read', orgsOf(c)),
      variables: mayReadVariables(user!, c) ? Object.entries(s.vars).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) })) : undefined,
      diagram: xml ? { xml, markers: markersFor(s, lang, t), label: t('diagram.label', { procedure }) } : undefined,
      notice: typeof ctx.query.done === 'string' && ['started', 'retried'].includes(ctx.query.done) ? t(`notice.${ctx.query.done}`) : undefined,
      ...extra,
    }, status);
  }

  router.get('/cases/:id', async (ctx) => {
    await show(ctx, await caseFor(rt, pageOf(ctx).user!, ctx.params.id));
  });

  router.post('/cases/:id/incidents/:incident/retry', async (ctx) => {
    const { user } = pageOf(ctx);
    const c = await caseFor(rt, user!, ctx.params.id);
    requireCap(holds(user!, 'incidents.retry', orgsOf(c)));
    const r = await resolveIncident(rt, user!.access, c.id, ctx.params.incident, { actor: { userId: user!.access.userId } });
    if (!r.ok) return show(ctx, await caseFor(rt, user!, c.id), { errors: [{ text: refusal(ctx, r.error), href: '#incidents' }] }, 422);
    ctx.status = 303;
    ctx.redirect(withNotice(`/cases/${c.id}`, 'retried'));
  });
}
