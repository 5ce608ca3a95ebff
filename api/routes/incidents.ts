// Incidents: what is stuck, and retrying it.
import { z } from 'zod';
import { listIncidents } from '../../db/repositories/incidents.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { actorOf, ifMatch, unwrap, type Services } from '../context.js';
import { require } from '../permissions.js';
import { loadCase, orgsOf } from '../cases-repo.js';
import { caseView } from '../views.js';
import { paging, Registry, variables } from '../route.js';

export function incidentRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'get', path: '/incidents', tag: 'incidents', summary: 'Open incidents in cases you can see',
    query: z.object({ status: z.enum(['open', 'resolved']).default('open'), ...paging }).strict(),
    responses: { 200: { description: 'A page of incidents' } },
    handler: async (ctx, { query }) => {
      require(ctx.state.user, 'incidents.retry');
      const rows = await rt.db.transaction(ctx.state.user.access, (trx) => listIncidents(trx, query));
      ctx.body = { items: rows.map((i) => ({ caseId: i.case_id, id: i.incident_id, code: i.code, message: i.message, element: i.element_id, createdAt: new Date(i.created_at).toISOString() })), page: query.page, pageSize: query.pageSize };
    },
  });

  reg.route({
    method: 'post', path: '/cases/:id/incidents/:incident/retry', tag: 'incidents', summary: 'Retry what failed, optionally after setting variables',
    body: z.object({ variables: variables.optional() }).strict(),
    responses: { 200: { description: 'Retried' }, 404: { description: 'No such open incident' } },
    handler: async (ctx, { params, body }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'incidents.retry', orgsOf(c));
      unwrap(await resolveIncident(rt, ctx.state.user.access, c.id, params.incident, { actor: actorOf(ctx), expectedVersion: ifMatch(ctx) }, body.variables), ctx);
      ctx.body = caseView(await loadCase(rt, ctx.state.user.access, c.id), { variables: true });
    },
  });
}
