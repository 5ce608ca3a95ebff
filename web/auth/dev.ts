// Sign-in for development and demonstrations: choose one of the users in the database (the
// demo region's users after `camau seed-demo`). Offered only when NODE_ENV is not
// "production" or CAMAU_DEV_SIGNIN=1. Sign-out works however the session began.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { systemAccess } from '../../db/access.js';
import { formBody } from '../form.js';
import { fromPreference, isLang } from '../i18n.js';
import { forgetDirectory } from '../orgs.js';
import { LANG_COOKIE, pageOf, safeNext, type WebDeps } from '../page.js';
import { render } from '../render.js';

interface Choice {
  id: string;
  name: string;
  roles: Array<{ role: string; org: string }>;
}

async function users(deps: WebDeps): Promise<Choice[]> {
  const rows = await deps.rt.db.transaction(systemAccess('web: sign-in list'), (trx) => trx('users as u')
    .leftJoin('role_assignments as ra', 'ra.user_id', 'u.id')
    .select('u.id', 'u.display_name', 'ra.role', 'ra.organisation_id')
    .orderBy(['u.id', 'ra.role']));
  const out = new Map<string, Choice>();
  for (const r of rows) {
    const c: Choice = out.get(r.id) ?? { id: r.id, name: r.display_name, roles: [] };
    if (r.role) c.roles.push({ role: r.role, org: r.organisation_id });
    out.set(r.id, c);
  }
  return [...out.values()];
}

/** Starts a session for a user who proved who they are (here, or through OIDC). */
export function startSession(ctx: Context, deps: WebDeps, user: { id: string; language: string }): void {
  const chosen = ctx.cookies.get(LANG_COOKIE);
  deps.sessions.write(ctx, { userId: user.id, lang: isLang(chosen) ? chosen : fromPreference(user.language) });
}

export function devSignInRoutes(router: Router, deps: WebDeps): void {
  router.get('/sign-in', async (ctx) => {
    if (pageOf(ctx).user) return ctx.redirect(safeNext(ctx.query.next));
    render(ctx, 'sign-in', { users: deps.devSignIn ? await users(deps) : [], next: safeNext(ctx.query.next) });
  });

  router.post('/sign-in', async (ctx) => {
    if (!deps.devSignIn) return render(ctx, 'error', { kind: 'notFound' }, 404);
    const form = await formBody(ctx);
    forgetDirectory();
    const row = form.user ? await deps.rt.db.transaction(systemAccess('web: sign-in'), (trx) => trx('users').where({ id: form.user }).first('id', 'language')) : undefined;
    if (!row) {
      return render(ctx, 'sign-in', { users: await users(deps), next: safeNext(form.next), errors: [{ text: pageOf(ctx).t('signIn.errors.chooseUser'), href: '#user' }] }, 400);
    }
    startSession(ctx, deps, row);
    ctx.status = 303;
    ctx.redirect(safeNext(form.next));
  });

  router.post('/sign-out', async (ctx) => {
    deps.sessions.clear(ctx);
    ctx.status = 303;
    ctx.redirect('/sign-in');
  });
}
