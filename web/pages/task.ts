// A task: what is asked, the case context the caller may see, and the form to complete it; for
// a joint sign-off, who has signed, who is still needed, and approve or return with a comment.
// Claim and unclaim post here too (from the inbox or this page).
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { outstandingRoles, type UserTaskInfo } from '../../engine/index.js';
import { claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { holds, rolesAt } from '../../api/permissions.js';
import { orgsOf } from '../../api/cases-repo.js';
import { caseFor, mayReadVariables, mayWork, openTask, requireCap, subjectName, type CaseWithOrgs } from '../data/case.js';
import { docIn, elementDocs } from '../data/docs.js';
import { procedureNames } from '../data/procedures.js';
import { refusal } from '../errors.js';
import { formBody } from '../form.js';
import { pageOf, safeNext, type WebDeps } from '../page.js';
import { render } from '../render.js';
import { bilingual } from '../orgs.js';
import { formatVariables, parseVariables, VariablesText } from '../variables.js';
import { formForTask, type ResolvedForm } from '../forms/resolve.js';
import { readRaw, validateForm, type FieldError, type Raw } from '../forms/schema.js';
import { fieldViews, startingRaw } from '../forms/view.js';

export const withNotice = (url: string, notice: string) => {
  const u = new URL(url, 'http://x');
  u.searchParams.delete('done');
  u.searchParams.set('done', notice);
  return `${u.pathname}${u.search}`;
};

const SignOffForm = z.object({
  role: z.string().min(1).max(200).optional(),
  decision: z.enum(['approve', 'return']).optional(),
  comment: z.string().max(4000).optional(),
});

type Errors = Array<{ text: string; href: string }>;

/** What a task page shows back after a mistake in its form. */
interface FormState { raw?: Record<string, Raw>; fieldErrors?: FieldError[]; rawError?: string }

export function taskRoutes(router: Router, deps: WebDeps): void {
  const { rt } = deps;

  /** The form a task is completed with (a joint sign-off has its own: approve or return). */
  async function taskForm(c: CaseWithOrgs, eid: string, docs: Awaited<ReturnType<typeof elementDocs>>): Promise<ResolvedForm> {
    const el = c.snapshot.elements[eid].el;
    return formForTask(rt, String(c.definition_id), el, docIn(docs.get(el), 'en'));
  }

  async function show(ctx: Context, c: CaseWithOrgs, eid: string, extra: Record<string, unknown> & FormState = {}, status = 200): Promise<void> {
    const { user, lang, t } = pageOf(ctx);
    const task = openTask(c, eid);
    if (!task) return render(ctx, 'task-closed', { title: t('task.closedTitle'), caseId: c.id }, 404);
    requireCap(mayWork(user!, task, c, { ignoreAssignee: true }) || holds(user!, 'cases.read', orgsOf(c)));
    const el = c.snapshot.elements[eid].el;
    const [names, docs, subject] = await Promise.all([procedureNames(rt, lang), elementDocs(rt, String(c.definition_id), c.snapshot.def.kind), subjectName(rt, user!, c)]);
    const roles = rolesAt(user!, orgsOf(c));
    const signoff = task.signoffRoles?.length ? signoffView(task, [...roles]) : undefined;
    const readable = mayReadVariables(user!, c);
    const form = signoff ? undefined : await taskForm(c, eid, docs);
    const { raw, fieldErrors, rawError, ...rest } = extra;
    render(ctx, 'task', {
      title: bilingual(task.name ?? el, lang, task.names),
      c, eid, el, task, signoff, subject,
      procedure: names.get(c.definition_key) ?? c.definition_key,
      asked: docIn(docs.get(el), lang),
      mine: task.assignee === user!.access.userId,
      canWork: mayWork(user!, task, c),
      canClaim: !task.assignee && !signoff && mayWork(user!, task, c, { ignoreAssignee: true }),
      formOrigin: form?.kind === 'fields' ? form.origin : undefined,
      formFields: form?.kind === 'fields' ? fieldViews(form.fields, raw ?? startingRaw(form.fields, readable ? c.snapshot.vars : undefined, form.origin === 'inferred'), fieldErrors ?? [], lang, t) : undefined,
      rawReason: form?.kind === 'raw' && form.reason ? t('form.rawNotice', { reason: t(form.reason.key, form.reason.params) }) : undefined,
      rawError,
      variables: readable ? Object.entries(c.snapshot.vars).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) })) : undefined,
      overdue: !!task.dueAt && task.dueAt < rt.clock.now(),
      // Reminder notifications the model sends about this task (engine/model/deadlines.ts names them <task>__reminderN_notify).
      reminders: Object.entries(c.snapshot.done ?? {}).filter(([k]) => k.startsWith(`${el}__reminder`) && k.endsWith('_notify')).reduce((n, [, count]) => n + count, 0),
      notice: typeof ctx.query.done === 'string' && ['claimed', 'unclaimed'].includes(ctx.query.done) ? t(`notice.${ctx.query.done}`) : undefined,
      ...rest,
    }, status);
  }

  router.get('/cases/:id/tasks/:eid', async (ctx) => {
    const c = await caseFor(rt, pageOf(ctx).user!, ctx.params.id);
    await show(ctx, c, ctx.params.eid);
  });

  const claimLike = (action: 'claim' | 'unclaim') => async (ctx: Context & { params: Record<string, string> }) => {
    const { user } = pageOf(ctx);
    const form = await formBody(ctx);
    const c = await caseFor(rt, user!, ctx.params.id);
    const task = openTask(c, ctx.params.eid);
    if (!task) return show(ctx, c, ctx.params.eid);
    if (action === 'claim') requireCap(mayWork(user!, task, c, { ignoreAssignee: true }));
    else requireCap(task.assignee === user!.access.userId || holds(user!, 'tasks.assign', orgsOf(c)));
    const actor = { userId: user!.access.userId };
    const r = action === 'claim'
      ? await claimTask(rt, user!.access, c.id, ctx.params.eid, user!.access.userId, { actor })
      : await unclaimTask(rt, user!.access, c.id, ctx.params.eid, { actor });
    if (!r.ok) return show(ctx, await caseFor(rt, user!, c.id), ctx.params.eid, { errors: [{ text: refusal(ctx, r.error), href: '#main-content' }] }, 409);
    ctx.status = 303;
    ctx.redirect(withNotice(safeNext(form.back || `/cases/${c.id}/tasks/${ctx.params.eid}`), action === 'claim' ? 'claimed' : 'unclaimed'));
  };
  router.post('/cases/:id/tasks/:eid/claim', claimLike('claim'));
  router.post('/cases/:id/tasks/:eid/unclaim', claimLike('unclaim'));

  router.post('/cases/:id/tasks/:eid/complete', async (ctx) => {
    const { user, lang, t } = pageOf(ctx);
    const body = await formBody(ctx);
    const c = await caseFor(rt, user!, ctx.params.id);
    const task = openTask(c, ctx.params.eid);
    if (!task) return show(ctx, c, ctx.params.eid);
    requireCap(mayWork(user!, task, c));
    const form = await taskForm(c, ctx.params.eid, await elementDocs(rt, String(c.definition_id), c.snapshot.def.kind));
    const text = VariablesText.safeParse(body.variables ?? '');
    const state: FormState = {};
    let variables: Record<string, unknown> = {};
    // Raw variables: the whole form for a form Camau cannot build, an optional extra for one it inferred.
    if (form.kind === 'raw' || (form.origin === 'inferred' && (!text.success || text.data.trim()))) {
      const parsed: ReturnType<typeof parseVariables> = text.success ? parseVariables(text.data) : { ok: false };
      if (!parsed.ok) state.rawError = parsed.line ? t('task.errors.variablesLine', { line: parsed.line }) : t('task.errors.variables');
      else variables = parsed.value;
    }
    if (form.kind === 'fields') {
      state.raw = readRaw(form.fields, body);
      const checked = validateForm(form.fields, state.raw, lang, t);
      if (!checked.ok) state.fieldErrors = checked.errors;
      else variables = { ...variables, ...checked.values };
    }
    const errors: Errors = [...(state.fieldErrors ?? []).map(({ text: e, href }) => ({ text: e, href })), ...(state.rawError ? [{ text: state.rawError, href: '#variables' }] : [])];
    const values = { variables: text.success ? text.data : '' };
    if (errors.length) return show(ctx, c, ctx.params.eid, { errors, values, ...state }, 400);
    const r = await completeTask(rt, user!.access, c.id, ctx.params.eid, variables, { actor: { userId: user!.access.userId } });
    if (!r.ok) {
      const again = form.kind === 'raw' ? { values: { variables: formatVariables(variables) } } : { values, raw: state.raw };
      return show(ctx, await caseFor(rt, user!, c.id), ctx.params.eid, { errors: [{ text: refusal(ctx, r.error), href: '#main-content' }], ...again }, 422);
    }
    ctx.status = 303;
    ctx.redirect('/?done=completed');
  });

  router.post('/cases/:id/tasks/:eid/sign-off', async (ctx) => {
    const { user, t } = pageOf(ctx);
    const form = SignOffForm.safeParse(await formBody(ctx));
    const c = await caseFor(rt, user!, ctx.params.id);
    const task = openTask(c, ctx.params.eid);
    if (!task) return show(ctx, c, ctx.params.eid);
    const values = form.success ? form.data : {};
    const mine = (task.signoffRoles ?? []).filter((r) => rolesAt(user!, orgsOf(c)).has(r));
    requireCap(mine.length > 0);
    const role = values.role ?? (mine.length === 1 ? mine[0] : undefined);
    const errors: Errors = [];
    if (!form.success) errors.push({ text: t('signoff.errors.tooLong'), href: '#comment' });
    if (!role || !mine.includes(role)) errors.push({ text: t('signoff.errors.chooseRole'), href: '#role' });
    if (!values.decision) errors.push({ text: t('signoff.errors.chooseDecision'), href: '#decision' });
    if (values.decision === 'return' && !values.comment?.trim()) errors.push({ text: t('signoff.errors.commentRequired'), href: '#comment' });
    if (errors.length) return show(ctx, c, ctx.params.eid, { errors, values }, 400);
    const r = await signOff(rt, user!.access, c.id, { eid: ctx.params.eid, role: role!, userId: user!.access.userId, decision: values.decision!, comment: values.comment?.trim() || undefined }, { actor: { userId: user!.access.userId, role } });
    if (!r.ok) return show(ctx, await caseFor(rt, user!, c.id), ctx.params.eid, { errors: [{ text: refusal(ctx, r.error), href: '#decision' }], values }, 422);
    ctx.status = 303;
    ctx.redirect(`/?done=${values.decision === 'approve' ? 'approved' : 'returned'}`);
  });
}

/** Each role: signed (by whom, when) or still needed; and which of them the caller could sign for now. */
function signoffView(task: UserTaskInfo, myRoles: string[]) {
  const outstanding = outstandingRoles(task);
  const signoffs = task.signoffs ?? [];
  return {
    roles: (task.signoffRoles ?? []).map((role) => {
      const approved = signoffs.find((s) => s.role === role && s.decision === 'approve');
      return { role, approved };
    }),
    returns: signoffs.filter((s) => s.decision === 'return'),
    outstanding,
    myRoles: outstanding.filter((r) => myRoles.includes(r)),
  };
}
