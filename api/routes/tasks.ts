// Tasks: my inbox, and claim / unclaim / assign / complete / sign-off.
//
// A task command is one runtime command: whether the task is open and the caller's to work on
// is checked inside the command's transaction (CommandOptions.guard), on the case as it locks
// or remembers it; the response is the case the command returns (not read again), and an
// Idempotency-Key is recorded with the command's writes. A completion is then one or two round
// trips to the database in all.
import { z } from 'zod';
import { userExists } from '../../db/repositories/organisations.js';
import { inboxPage } from '../../db/repositories/inbox.js';
import type { Definition, InstanceState, UserTaskInfo } from '../../engine/index.js';
import type { CaseRow } from '../../db/repositories/rows.js';
import { assignTask, claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import type { UserAccess } from '../../runtime/access.js';
import type { CaseChange, CommandOptions } from '../../runtime/execute.js';
import type { Outcome, RuntimeError } from '../../runtime/errors.js';
import { actorOf, ifMatch, unwrap, type ApiContext, type Services } from '../context.js';
import { ApiError } from '../errors.js';
import { commandRecord, respondWith } from '../idempotency.js';
import { CAPABILITIES, holds, rolesAt } from '../permissions.js';
import { loadCase, orgsOf, withOrgs, type CaseWithOrgs } from '../cases-repo.js';
import { activeSteps, caseView } from '../views.js';
import { id, paging, Registry, text, variables } from '../route.js';

function openTaskIn(state: InstanceState, eid: string): UserTaskInfo | undefined {
  const w = state.elements[eid]?.wait;
  return w?.kind === 'userTask' ? w.task : undefined;
}

function openTask(c: CaseWithOrgs, eid: string): UserTaskInfo {
  const task = openTaskIn(c.snapshot, eid);
  if (!task) throw new ApiError('NOT_FOUND', `No open task ${eid} in case ${c.id}`);
  return task;
}

/** May the user work on this task: theirs, offered to them by name, or offered to a role they hold for the case. */
function mayWork(user: UserAccess, task: UserTaskInfo, c: CaseWithOrgs, opts: { ignoreAssignee?: boolean } = {}): boolean {
  if (task.assignee === user.access.userId) return true;
  if (task.assignee && !opts.ignoreAssignee) return false;
  if (task.candidateUsers?.includes(user.access.userId)) return true;
  const roles = rolesAt(user, orgsOf(c));
  return [...(task.candidateGroups ?? []), ...(task.signoffRoles ?? [])].some((g) => roles.has(g));
}

const forbidden = (message: string): RuntimeError => ({ code: 'FORBIDDEN', message });

/** Why the caller may not do this to the open task (undefined: they may). */
type Check = (task: UserTaskInfo, c: CaseWithOrgs) => RuntimeError | undefined;

export function taskRoutes(reg: Registry, { rt }: Services): void {
  reg.route({
    method: 'get', path: '/tasks', tag: 'tasks', summary: 'My inbox: tasks assigned to me, or open to a role I hold for their case',
    query: z.object({
      assigned: z.enum(['me', 'any']).default('any'),
      definitionKey: id.optional(), schoolId: id.optional(),
      overdue: z.enum(['true', 'false']).optional(),
      ...paging,
    }).strict(),
    responses: { 200: { description: 'A page of open tasks, soonest due first; total counts up to 1,000 (totalIsCapped when there are more)' } },
    handler: async (ctx, { query }) => {
      const user = ctx.state.user;
      const now = rt.clock.now();
      const { rows, total, more } = await rt.db.command(user.access, (tx) => inboxPage(tx, {
        userId: user.access.userId, roles: user.roles, assigned: query.assigned, definitionKey: query.definitionKey, schoolId: query.schoolId,
        due: query.overdue === 'true' ? 'overdue' : query.overdue === 'false' ? 'not-overdue' : undefined,
        now, page: query.page, pageSize: query.pageSize,
      }));
      ctx.body = {
        items: rows.map((t) => ({
          caseId: t.case_id, eid: t.eid, element: t.element_id, name: t.name ?? t.element_id, ...(t.names ? { names: t.names } : {}),
          definitionKey: t.definition_key, schoolId: t.school_id, caseVersion: t.case_version,
          assignee: t.assignee, candidateGroups: t.candidate_groups,
          dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
          overdue: !!t.due_at && new Date(t.due_at).toISOString() < now,
          ...(t.signoff ? { signoff: t.signoff } : {}),
        })),
        // The total is counted up to a cap; totalIsCapped: there are more than that.
        page: query.page, pageSize: query.pageSize, total, ...(more ? { totalIsCapped: true } : {}),
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

  /**
   * Runs a task command with the check inside it; answers with the case after it (ETag: its
   * version), the same response an Idempotency-Key records.
   */
  const act = async (ctx: ApiContext, eid: string, check: Check, run: (opts: CommandOptions) => Promise<Outcome<CaseChange>>, role?: string) => {
    const user = ctx.state.user;
    let def: Definition | undefined;
    const guard = (state: InstanceState, row: CaseRow, d: Definition): RuntimeError | undefined => {
      def = d;
      const task = openTaskIn(state, eid);
      if (!task) return { code: 'NOT_FOUND', message: `No open task ${eid} in case ${row.id}` };
      return check(task, withOrgs(row, d, user));
    };
    const { record, response } = commandRecord(ctx, (change: CaseChange) => {
      const after = withOrgs(change.row!, def!, user);
      return { status: 200, headers: { etag: `"${after.version}"` }, body: caseView(after, { variables: holds(user, 'history.read', orgsOf(after)) || after.subject_kind === 'school' }) };
    });
    const change = unwrap(await run({ actor: actorOf(ctx, role), expectedVersion: ifMatch(ctx), guard, record }), ctx);
    respondWith(ctx, response(change));
  };

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/claim', tag: 'tasks', summary: 'Claim a task offered to a role you hold',
    responses: { 200: { description: 'Claimed' }, 422: { description: 'Someone else holds it' } },
    idempotency: 'in-command',
    handler: (ctx, { params }) => act(ctx, params.eid,
      (t, c) => (mayWork(ctx.state.user, t, c, { ignoreAssignee: true }) ? undefined : forbidden('This task is not offered to you or a role you hold')),
      (opts) => claimTask(rt, ctx.state.user.access, params.id, params.eid, ctx.state.userId, opts)),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/unclaim', tag: 'tasks', summary: 'Give a task you hold back to its roles',
    responses: { 200: { description: 'Unclaimed' } },
    idempotency: 'in-command',
    handler: (ctx, { params }) => act(ctx, params.eid,
      (t, c) => (t.assignee === ctx.state.userId || holds(ctx.state.user, 'tasks.assign', orgsOf(c)) ? undefined : forbidden('Only the holder or a manager may unclaim this task')),
      (opts) => unclaimTask(rt, ctx.state.user.access, params.id, params.eid, opts)),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/assign', tag: 'tasks', summary: 'Assign a task to a person',
    body: z.object({ userId: id }).strict(),
    responses: { 200: { description: 'Assigned' }, 400: { description: 'No such user' } },
    idempotency: 'in-command',
    handler: async (ctx, { params, body }) => {
      const exists = await rt.db.transaction(ctx.state.user.access, (trx) => userExists(trx, body.userId));
      await act(ctx, params.eid,
        (_t, c) => {
          if (!holds(ctx.state.user, 'tasks.assign', orgsOf(c))) return forbidden(`This needs one of the roles ${CAPABILITIES['tasks.assign'].join(', ')} for this case's organisation`);
          return exists ? undefined : { code: 'INVALID_INPUT', message: `No user ${body.userId}` };
        },
        (opts) => assignTask(rt, ctx.state.user.access, params.id, params.eid, body.userId, opts));
    },
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/complete', tag: 'tasks', summary: 'Complete a task with its variables',
    body: z.object({ variables: variables.default({}) }).strict(),
    responses: { 200: { description: 'Completed' }, 403: { description: 'The task is not yours' }, 412: { description: 'If-Match named another version' } },
    idempotency: 'in-command',
    handler: (ctx, { params, body }) => act(ctx, params.eid,
      (t, c) => (mayWork(ctx.state.user, t, c) ? undefined : forbidden(t.assignee ? `This task is held by ${t.assignee}` : 'This task is not offered to you or a role you hold')),
      (opts) => completeTask(rt, ctx.state.user.access, params.id, params.eid, body.variables, opts)),
  });

  reg.route({
    method: 'post', path: '/cases/:id/tasks/:eid/sign-off', tag: 'tasks', summary: 'Approve or return a jointly signed task, for one role you hold',
    body: z.object({ role: id, decision: z.enum(['approve', 'return']), comment: text(4000).optional(), variables: variables.optional() }).strict(),
    responses: { 200: { description: 'Recorded; the task completes when every role has approved, or on a return' }, 422: { description: 'Refused by the sign-off rules' } },
    idempotency: 'in-command',
    handler: (ctx, { params, body }) => act(ctx, params.eid,
      (_t, c) => (rolesAt(ctx.state.user, orgsOf(c)).has(body.role) ? undefined : forbidden(`You do not hold the role ${body.role} for this case`)),
      (opts) => signOff(rt, ctx.state.user.access, params.id, { eid: params.eid, role: body.role, userId: ctx.state.userId, decision: body.decision, comment: body.comment, variables: body.variables }, opts),
      body.role),
  });
}
