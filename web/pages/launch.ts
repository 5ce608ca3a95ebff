// Start a workflow for a school, or for a staff member, of the organisations where the caller
// holds a role that may start one; with its start variables. The same checks as POST /cases.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { startCase } from '../../runtime/commands/start-case.js';
import { holds } from '../../api/permissions.js';
import type { UserAccess } from '../../runtime/access.js';
import { procedureNames, procedures } from '../data/procedures.js';
import { requireCap } from '../data/case.js';
import { refusal } from '../errors.js';
import { formBody } from '../form.js';
import type { Directory } from '../orgs.js';
import { pageOf, type WebDeps } from '../page.js';
import { render } from '../render.js';
import { parseVariables } from '../variables.js';
import { startFormFor } from '../forms/resolve.js';
import { readRaw, validateForm } from '../forms/schema.js';
import { fieldViews, startingRaw } from '../forms/view.js';

const LaunchForm = z.object({
  procedure: z.string().max(200).default(''),
  subjectKind: z.enum(['school', 'staff']).optional().catch(undefined),
  school: z.string().max(200).default(''),
  staff: z.string().max(200).default(''),
  variables: z.string().max(256 * 1024).default(''),
});

type Values = z.infer<typeof LaunchForm>;

const orgsUp = (dir: Directory, schoolId: string) => {
  const la = dir.orgs.get(schoolId)?.parent_id ?? null;
  return [schoolId, la, la ? dir.orgs.get(la)?.parent_id ?? null : null];
};

async function choices(deps: WebDeps, user: UserAccess, dir: Directory) {
  const schools = [...dir.orgs.values()].filter((o) => o.kind === 'school' && holds(user, 'cases.start.school', orgsUp(dir, o.id))).map((o) => o.id);
  const staffSchools = [...dir.orgs.values()].filter((o) => o.kind === 'school' && holds(user, 'cases.start.staff', orgsUp(dir, o.id))).map((o) => o.id);
  const staff: Array<{ id: string; name: string; organisation_id: string }> = staffSchools.length
    ? await deps.rt.db.transaction(user.access, (trx) => trx('people').where({ kind: 'staff' }).whereIn('organisation_id', staffSchools).orderBy('name').select('id', 'name', 'organisation_id'))
    : [];
  return { schools, staff };
}

export function launchRoutes(router: Router, deps: WebDeps): void {
  const { rt } = deps;

  async function show(ctx: Context, values: Partial<Values> = {}, errors: Array<{ text: string; href: string }> = [], status = 200, extra: Record<string, unknown> = {}) {
    const { user, lang, t, dir } = pageOf(ctx);
    requireCap(holds(user!, 'cases.start.school') || holds(user!, 'cases.start.staff'));
    const [procs, names, ch] = await Promise.all([procedures(rt), procedureNames(rt, lang), choices(deps, user!, dir)]);
    render(ctx, 'launch', {
      title: t('launch.title'), current: 'launch', values, errors,
      fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), e.text])),
      procedures: procs.map((p) => ({ key: p.key, name: names.get(p.key) ?? p.key, version: p.version })),
      schools: ch.schools, staff: ch.staff,
      ...extra,
    }, status);
  }

  router.get('/launch', (ctx) => show(ctx));

  router.post('/launch', async (ctx) => {
    const { user, lang, t, dir } = pageOf(ctx);
    const body = await formBody(ctx);
    const parsed = LaunchForm.safeParse(body);
    if (!parsed.success) return show(ctx, {}, [{ text: t('launch.errors.invalid'), href: '#procedure' }], 400);
    const v = parsed.data;
    const errors: Array<{ text: string; href: string }> = [];
    const procs = await procedures(rt);
    if (!procs.some((p) => p.key === v.procedure)) errors.push({ text: t('launch.errors.procedure'), href: '#procedure' });
    const ch = await choices(deps, user!, dir);
    if (!v.subjectKind) errors.push({ text: t('launch.errors.subjectKind'), href: '#subjectKind' });
    if (v.subjectKind === 'school' && !ch.schools.includes(v.school)) errors.push({ text: t('launch.errors.school'), href: '#school' });
    if (v.subjectKind === 'staff' && !ch.staff.some((s) => s.id === v.staff)) errors.push({ text: t('launch.errors.staff'), href: '#staff' });
    const vars = parseVariables(v.variables);
    if (!vars.ok) errors.push({ text: vars.line ? t('task.errors.variablesLine', { line: vars.line }) : t('task.errors.variables'), href: '#variables' });
    if (errors.length) return show(ctx, v, errors, 400);
    // A procedure whose start event declares a form asks for it next (the choices so far kept);
    // `startForm` names the procedure the form shown was for.
    let variables = vars.ok ? vars.value : {};
    const proc = procs.find((p) => p.key === v.procedure)!;
    const startForm = proc.kind === 'bpmn' ? await startFormFor(rt, proc.id, proc.key) : undefined;
    if (startForm?.kind === 'fields') {
      const shown = body.startForm === v.procedure;
      const raw = shown ? readRaw(startForm.fields, body) : startingRaw(startForm.fields, undefined, false);
      const checked = shown ? validateForm(startForm.fields, raw, lang, t) : undefined;
      if (!checked?.ok) {
        const fieldErrors = checked && !checked.ok ? checked.errors : [];
        return show(ctx, v, fieldErrors.map(({ text, href }) => ({ text, href })), checked ? 400 : 200, { startFor: v.procedure, formFields: fieldViews(startForm.fields, raw, fieldErrors, lang, t) });
      }
      variables = { ...variables, ...checked.values };
    }
    const r = await startCase(rt, user!.access, {
      definitionKey: v.procedure,
      ...(v.subjectKind === 'school' ? { schoolId: v.school } : { subjectPersonId: v.staff }),
      variables,
      actor: { userId: user!.access.userId },
    });
    if (!r.ok) return show(ctx, v, [{ text: r.error.code === 'REJECTED' ? t('launch.errors.rejected') : refusal(ctx, r.error), href: '#variables' }], 422);
    ctx.status = 303;
    ctx.redirect(`/cases/${r.value.caseId}?done=started`);
  });
}
