// Tasks: my inbox, and claim / unclaim / assign / complete / sign-off.
import { z } from 'zod';
import type { ElementInstance, UserTaskInfo } from '../../engine/index.js';
import { assignTask, claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import type { UserAccess } from '../../runtime/access.js';
import { actorOf, ifMatch, unwrap, type ApiContext, type Services } from '../context.js';
import { ApiError } from '../errors.js';
import { holds, require, rolesAt } from '../permissions.js';
import { loadCase, orgsOf, type CaseWithOrgs } from '../cases-repo.js';
import { activeSteps, caseView } from '../views.js';
import { id, paging, Registry, text, variables } from '../route.js';

function openTask(c: CaseWithOrgs, eid: string): UserTaskInfo {
  const ei: ElementInstance | undefined = c.snapshot.elements[eid];
  if (!ei || ei.wait?.kind !== 'userTask') throw new ApiError('NOT_FOUND', `No open task ${eid} in case ${c.id}`);
  return ei.wait.task;
}

/** May the user work on this task: theirs, offered to them by name, or offered to a role they hold for the case. */
function mayWork(user: UserAccess, task: UserTaskInfo, c: CaseWithOrgs, opts: { ignoreAssignee?: boolean } = {}): boolean {
  if (task.assignee === user.access.userId) return true;
  if (task.assignee && !opts.ignoreAssignee) return false;
  if (task.candidateUsers?.includes(user.access.userId)) return true;
  const roles = rolesAt(user, orgsOf(c));
  return [...(task.candidateGroups ?? []), ...(task.signoffRoles ?? [])].some((g) => roles.has(g));
}

export function taskRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'get', path: '/tasks', tag: 'tasks', summary: 'My inbox: tasks assigned to me, or open to a role I hold for their case',
    query: z.object({
      assigned: z.enum(['me', 'any']).default('any'),
      definitionKey: id.optional(), schoolId: id.optional(),
      overdue: z.enum(['true', 'false']).optional(),
      ...paging,
    }).strict(),
    responses: { 200: { description: 'A page of open tasks, soonest due first' } },
    handler: async (ctx, { query }) => {
      const me = ctx.state.userId;
      const now = rt.clock.now();
      const { items, total } = await rt.db.transaction(ctx.state.user.access, async (trx) => {
        const q = trx('tasks as t')
          .join('cases as c', 'c.id', 't.case_id')
          .join('organisations as la', 'la.id', 'c.tenant_id')
          .join('definitions as d', 'd.id', 'c.definition_id')
          .where('t.status', 'open')
          .andWhere((w) => {
            w.where('t.assignee', me);
            if (query.assigned === 'any') {
              w.orWhere((o) => o.whereNull('t.assignee').andWhere((x) => x
                .whereRaw('? = any(t.candidate_users)', [me])
                .orWhereExists((e) => e.select(trx.raw('1')).from('role_assignments as ra')
                  .where('ra.user_id', me)
                  .whereRaw('ra.role = any(t.candidate_groups)')
                  .whereRaw('ra.organisation_id in (c.school_id, c.tenant_id, la.parent_id)'))));
            }
          });
        if (query.definitionKey) q.where('d.key', query.definitionKey);
        if (query.schoolId) q.where('c.school_id', query.schoolId);
        if (query.overdue === 'true') q.where('t.due_at', '<', now);
        if (query.overdue === 'false') q.andWhere((w) => w.whereNull('t.due_at').orWhere('t.due_at', '>=', now));
        const [{ count }] = await q.clone().count<{ count: string }[]>('* as count');
        const rows = await q.select('t.*', 'd.key as definition_key', 'c.school_id', 'c.version as case_version')
          .orderByRaw('t.due_at asc nulls last').orderBy('t.created_at').limit(query.pageSize).offset((query.page - 1) * query.pageSize);
        return { items: rows, total: Number(count) };
      });
      ctx.body = {
        items: items.map((t) => ({
          caseId: t.case_id, eid: t.eid, element: t.element_id, name: t.name ?? t.element_id, ...(t.names ? { names: t.names } : {}),
          definitionKey: t.definition_key, schoolId: t.school_id, caseVersion: t.case_version,
          assignee: t.assignee, candidateGroups: t.candidate_groups,
          dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
          overdue: !!t.due_at && new Date(t.due_at).toISOString() < now,
          ...(t.signoff ? { signoff: t.signoff } : {}),
        })),
        page: query.page, pageSize: query.pageSize, total,
      };
    },
  });

  reg.route({
    method: 'get', path: '/cases/:id/tasks/:eid', tag: 'tasks', summary: 'One open task with its case context',
    responses: { 200: { description: 'The task' }, 404: { description: 'No such open task' } },
    handler: async (ctx, { params }) => {
      const c = await loadCase(rt, ctx.state.user.access, params.id);
      const task = openTask(c, params.eid);
      if (!mayWork(ctx.state.user, task, c, { ignoreAssignee: true }) && !holds(ctx.state.user, 'cases.read', orgsOf(c))) throw new ApiError('FORBIDDEN', 'This task is not yours or offered to a role you hold');
      ctx.set('ETag', `"${c.version}"`);
      ctx.body = { task: activeSteps(c.snapshot).find((s) => s.eid === params.eid), case: caseView(c, { variables: mayWork(ctx.state.user, task, c) || holds(ctx.state.user, 'history.read', orgsOf(c)) || c.subject_kind === 'school' }) };
    },
  });

  const act = async (ctx: ApiContext, caseId: string, eid: string, check: (task: UserTaskInfo, c: CaseWithOrgs) => void, run: (c: CaseWithOrgs) => Promise<void>) => {
    const c = await loadCase(rt, ctx.state.user.access, caseId);
    check(openTask(c, eid), c);
    await run(c);
    const after = await loadCase(rt, ctx.state.user.access, caseId);
    ctx.set('ETag', `"${after.version}"`);
    ctx.body = caseView(after, { variables: holds(ctx.state.user, 'history.read', orgsOf(after)) || after.subject_kind === 'school' });
  };
  const opts = (ctx: ApiContext, role?: string) => ({ actor: actorOf(ctx, role), expectedVersion: ifMatch(ctx) });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/claim', tag: 'tasks', summary: 'Claim a task offered to a role you hold',
    responses: { 200: { description: 'Claimed' }, 422: { description: 'Someone else holds it' } },
    handler: (ctx, { params }) => act(ctx, params.id, params.eid,
      (t, c) => { if (!mayWork(ctx.state.user, t, c, { ignoreAssignee: true })) throw new ApiError('FORBIDDEN', 'This task is not offered to you or a role you hold'); },
      async (c) => { unwrap(await claimTask(rt, ctx.state.user.access, c.id, params.eid, ctx.state.userId, opts(ctx)), ctx); }),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/unclaim', tag: 'tasks', summary: 'Give a task you hold back to its roles',
    responses: { 200: { description: 'Unclaimed' } },
    handler: (ctx, { params }) => act(ctx, params.id, params.eid,
      (t, c) => { if (t.assignee !== ctx.state.userId && !holds(ctx.state.user, 'tasks.assign', orgsOf(c))) throw new ApiError('FORBIDDEN', 'Only the holder or a manager may unclaim this task'); },
      async (c) => { unwrap(await unclaimTask(rt, ctx.state.user.access, c.id, params.eid, opts(ctx)), ctx); }),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/assign', tag: 'tasks', summary: 'Assign a task to a person',
    body: z.object({ userId: id }).strict(),
    responses: { 200: { description: 'Assigned' }, 400: { description: 'No such user' } },
    handler: (ctx, { params, body }) => act(ctx, params.id, params.eid,
      (_t, c) => require(ctx.state.user, 'tasks.assign', orgsOf(c)),
      async (c) => {
        if (!(await rt.db.transaction(ctx.state.user.access, (trx) => trx('users').where({ id: body.userId }).first('id')))) throw new ApiError('VALIDATION_FAILED', `No user ${body.userId}`);
        unwrap(await assignTask(rt, ctx.state.user.access, c.id, params.eid, body.userId, opts(ctx)), ctx);
      }),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/complete', tag: 'tasks', summary: 'Complete a task with its variables',
    body: z.object({ variables: variables.default({}) }).strict(),
    responses: { 200: { description: 'Completed' }, 403: { description: 'The task is not yours' }, 412: { description: 'If-Match named another version' } },
    handler: (ctx, { params, body }) => act(ctx, params.id, params.eid,
      (t, c) => { if (!mayWork(ctx.state.user, t, c)) throw new ApiError('FORBIDDEN', t.assignee ? `This task is held by ${t.assignee}` : 'This task is not offered to you or a role you hold'); },
      async (c) => { unwrap(await completeTask(rt, ctx.state.user.access, c.id, params.eid, body.variables, opts(ctx)), ctx); }),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/sign-off', tag: 'tasks', summary: 'Approve or return a jointly signed task, for one role you hold',
    body: z.object({ role: id, decision: z.enum(['approve', 'return']), comment: text(4000).optional(), variables: variables.optional() }).strict(),
    responses: { 200: { description: 'Recorded; the task completes when every role has approved, or on a return' }, 422: { description: 'Refused by the sign-off rules' } },
    handler: (ctx, { params, body }) => act(ctx, params.id, params.eid,
      (_t, c) => { if (!rolesAt(ctx.state.user, orgsOf(c)).has(body.role)) throw new ApiError('FORBIDDEN', `You do not hold the role ${body.role} for this case`); },
      async (c) => { unwrap(await signOff(rt, ctx.state.user.access, c.id, { eid: params.eid, role: body.role, userId: ctx.state.userId, decision: body.decision, comment: body.comment, variables: body.variables }, opts(ctx, body.role)), ctx); }),
  });
}
