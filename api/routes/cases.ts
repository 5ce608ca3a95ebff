// Cases: start, list, read, cancel; messages and signals.
import { z } from 'zod';
import { getOrganisation, getPerson } from '../../db/repositories/organisations.js';
import { systemAccess } from '../../db/access.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { cancelCase } from '../../runtime/commands/cancel-case.js';
import { correlateMessage } from '../../runtime/commands/correlate-message.js';
import { broadcastSignal } from '../../runtime/commands/broadcast-signal.js';
import { actorOf, ifMatch, unwrap } from '../context.js';
import { ApiError } from '../errors.js';
import { holds, require } from '../permissions.js';
import { listCases, loadCase, orgsOf } from '../cases-repo.js';
import { caseSummary, caseView } from '../views.js';
import { id, int32, paging, Registry, text, variables } from '../route.js';
import type { Services } from '../context.js';

const StartBody = z.object({
  definitionKey: id,
  version: int32.positive().optional(),
  schoolId: id.optional(),
  subjectPersonId: id.optional(),
  variables: variables.optional(),
  businessKey: text(200).optional(),
}).strict().refine((b) => !!b.schoolId !== !!b.subjectPersonId, 'give exactly one of schoolId (a school case) or subjectPersonId (a staff case)');

export function caseRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'post', path: '/cases', tag: 'cases', summary: 'Start a case for a school or a staff member',
    body: StartBody,
    responses: { 201: { description: 'The case was started' }, 404: { description: 'No such definition, school or staff member' } },
    handler: async (ctx, { body }) => {
      const user = ctx.state.user;
      // The subject's organisations decide which roles count.
      const orgs = await rt.db.transaction(systemAccess('resolve subject'), async (trx) => {
        const person = body.subjectPersonId ? await getPerson(trx, body.subjectPersonId) : undefined;
        const schoolId = body.schoolId ?? person?.organisation_id;
        const school = schoolId ? await getOrganisation(trx, schoolId) : undefined;
        const la = school?.parent_id ? await getOrganisation(trx, school.parent_id) : undefined;
        // A staff case is the employing LA's: region-wide roles do not start one.
        return school && la ? (body.subjectPersonId ? [school.id, la.id] : [school.id, la.id, la.parent_id]) : undefined;
      });
      if (!orgs) throw new ApiError('NOT_FOUND', body.schoolId ? `No school ${body.schoolId}` : `No staff member ${body.subjectPersonId}`);
      require(user, body.subjectPersonId ? 'cases.start.staff' : 'cases.start.school', orgs);
      // Beyond the capability, the caller must be able to see the subject (a staff member of their LA or school).
      if (body.subjectPersonId && !(await rt.db.transaction(user.access, (trx) => getPerson(trx, body.subjectPersonId!)))) throw new ApiError('NOT_FOUND', `No staff member ${body.subjectPersonId}`);
      const started = unwrap(await startCase(rt, user.access, { ...body, actor: actorOf(ctx) }));
      const c = await loadCase(rt, user.access, started.caseId);
      ctx.status = 201;
      ctx.set('Location', `/api/v1/cases/${c.id}`);
      ctx.set('ETag', `"${c.version}"`);
      ctx.body = caseView(c, { variables: true });
    },
  });

  reg.route({
    method: 'get', path: '/cases', tag: 'cases', summary: 'Cases you can see, newest first',
    query: z.object({ status: z.enum(['active', 'completed', 'terminated', 'failed']).optional(), definitionKey: id.optional(), schoolId: id.optional(), la: id.optional(), ...paging }).strict(),
    responses: { 200: { description: 'A page of cases' } },
    handler: async (ctx, { query }) => {
      require(ctx.state.user, 'cases.read');
      const { items, total } = await listCases(rt, ctx.state.user.access, query);
      ctx.body = { items: items.map(caseSummary), page: query.page, pageSize: query.pageSize, total };
    },
  });

  reg.route({
    method: 'get', path: '/cases/:id', tag: 'cases', summary: 'A case: status, active steps, due dates, timers, incidents, variables',
    responses: { 200: { description: 'The case' }, 404: { description: 'No such case among those you can see' } },
    handler: async (ctx, { params }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'cases.read', orgsOf(c));
      ctx.set('ETag', `"${c.version}"`);
      ctx.body = caseView(c, { variables: holds(ctx.state.user, 'history.read', orgsOf(c)) || c.subject_kind === 'school' });
    },
  });

  reg.route({
    method: 'post', path: '/cases/:id/cancel', tag: 'cases', summary: 'Cancel a case, with the reason',
    body: z.object({ reason: text(2000).min(1) }).strict(),
    responses: { 200: { description: 'The case was cancelled' }, 412: { description: 'If-Match named another version' } },
    handler: async (ctx, { body, params }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      require(ctx.state.user, 'cases.cancel', orgsOf(c));
      unwrap(await cancelCase(rt, ctx.state.user.access, c.id, body.reason, { actor: actorOf(ctx), expectedVersion: ifMatch(ctx) }), ctx);
      const after = await loadCase(rt, ctx.state.user.access, c.id);
      ctx.set('ETag', `"${after.version}"`);
      ctx.body = caseView(after, { variables: false });
    },
  });

  reg.route({
    method: 'post', path: '/messages', tag: 'cases', summary: 'Correlate a message to the case waiting for it (by name and correlation key)',
    body: z.object({ name: id, correlationKey: text(200).optional(), variables: variables.optional() }).strict(),
    responses: { 200: { description: 'The case that received it' }, 404: { description: 'No case you can see is waiting for it' } },
    handler: async (ctx, { body }) => {
      require(ctx.state.user, 'cases.message');
      const r = unwrap(await correlateMessage(rt, ctx.state.user.access, { ...body, actor: actorOf(ctx) }));
      ctx.body = { caseId: r.caseId, version: r.version };
    },
  });

  reg.route({
    method: 'post', path: '/signals', tag: 'cases', summary: 'Broadcast a signal to every case you can see that waits for it',
    body: z.object({ name: id, variables: variables.optional() }).strict(),
    responses: { 200: { description: 'Which cases received it' } },
    handler: async (ctx, { body }) => {
      require(ctx.state.user, 'signals.broadcast');
      ctx.body = await broadcastSignal(rt, ctx.state.user.access, body.name, body.variables ?? {}, actorOf(ctx));
    },
  });
}
