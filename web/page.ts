// What every page knows about its request: the language (from ?lang=, the session, a cookie
// or the browser, in that order), the signed-in user and what they hold, the CSRF token, and
// the helpers its template uses.
import { randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { accessFor, type UserAccess } from '../runtime/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { ApiError } from '../api/errors.js';
import { holds } from '../api/permissions.js';
import { CSRF_FIELD, type Csrf } from './csrf.js';
import { formBody } from './form.js';
import { formatDate, formatDateTime, formatNumber } from './format.js';
import { fromAcceptLanguage, hasKey, isLang, translator, type Lang, type Translate } from './i18n.js';
import { bilingual, directory, orgName, type Directory } from './orgs.js';
import { cookieOptions, type Session, type Sessions } from './session.js';

export const LANG_COOKIE = 'camau_lang';

export interface WebDeps {
  rt: Runtime;
  sessions: Sessions;
  csrf: Csrf;
  devSignIn: boolean;
  oidc: boolean;
  log?: Logger;
}

export interface PageState {
  lang: Lang;
  t: Translate;
  session?: Session;
  user?: UserAccess;
  me?: { id: string; name: string };
  dir: Directory;
  csrf: string;
  /** Everything templates see. */
  view: Record<string, unknown>;
}

export const pageOf = (ctx: Context) => ctx.state.page as PageState;

/** The current URL with `lang` set, for the language switch. */
function langHref(ctx: Context, lang: Lang): string {
  const q = new URLSearchParams(ctx.querystring);
  q.set('lang', lang);
  return `${ctx.path}?${q.toString()}`;
}

export function pageContext(deps: WebDeps) {
  return async (ctx: Context, next: Next) => {
    const asked = ctx.query.lang;
    let session = deps.sessions.read(ctx);
    if (isLang(asked)) {
      ctx.cookies.set(LANG_COOKIE, asked, cookieOptions(ctx, 365 * 24 * 3600));
      if (session) session = deps.sessions.write(ctx, { ...session, lang: asked });
      if (ctx.method === 'GET') {
        const q = new URLSearchParams(ctx.querystring);
        q.delete('lang');
        ctx.status = 303;
        ctx.redirect(`${ctx.path}${q.size ? `?${q}` : ''}`);
        return;
      }
    }
    const cookieLang = ctx.cookies.get(LANG_COOKIE);
    const lang: Lang = isLang(asked) ? asked : session?.lang ?? (isLang(cookieLang) ? cookieLang : fromAcceptLanguage(ctx.get('accept-language')));
    const t = translator(lang);
    const dir = await directory(deps.rt);
    let user: UserAccess | undefined;
    let me: PageState['me'];
    if (session) {
      const row = dir.users.get(session.userId);
      if (row) {
        user = await accessFor(deps.rt, session.userId);
        me = { id: row.id, name: row.display_name };
      } else {
        deps.sessions.clear(ctx);
        session = undefined;
      }
    }
    const csrf = deps.csrf.token(ctx, session?.userId);
    const nonce = randomBytes(16).toString('base64');
    ctx.set('Content-Security-Policy', `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Frame-Options', 'DENY');
    const can = (cap: Parameters<typeof holds>[1]) => !!user && holds(user, cap);
    const nav = user ? [
      { key: 'inbox', href: '/', text: t('nav.tasks') },
      can('cases.read') ? { key: 'cases', href: '/cases', text: t('nav.cases') } : null,
      can('cases.start.school') || can('cases.start.staff') ? { key: 'launch', href: '/launch', text: t('nav.launch') } : null,
      can('reports.region') || can('reports.national') ? { key: 'reports', href: '/reports', text: t('nav.reports') } : null,
    ].filter(Boolean) : [];
    const label = (prefix: string, code: string | null | undefined) => (code ? (hasKey(lang, `${prefix}.${code}`) ? t(`${prefix}.${code}`) : code) : '');
    const page: PageState = {
      lang, t, session, user, me, dir, csrf,
      view: {
        lang, t, me, csrf, csrfField: CSRF_FIELD, cspNonce: nonce, path: ctx.path, nav,
        devSignIn: deps.devSignIn, oidc: deps.oidc,
        langLinks: [
          { lang: 'cy', text: 'Cymraeg', href: langHref(ctx, 'cy'), current: lang === 'cy' },
          { lang: 'en', text: 'English', href: langHref(ctx, 'en'), current: lang === 'en' },
        ],
        fmtDate: (d: string) => formatDate(d, lang),
        fmtDateTime: (d: string) => formatDateTime(d, lang),
        fmtNumber: (n: number) => formatNumber(n, lang),
        orgName: (id: string) => orgName(dir, id, lang),
        userName: (id: string) => dir.users.get(id)?.display_name ?? id,
        roleName: (r: string) => label('role', r),
        statusName: (s: string) => label('status', s),
        eventName: (e: string) => label('event', e),
        kindName: (k: string) => label('kind', k),
        name: (n: string | undefined, names?: Record<string, string>) => bilingual(n, lang, names),
      },
    };
    ctx.state.page = page;
    if (user) ctx.state.userId = user.access.userId;
    await next();
  };
}

/** Pages that need someone signed in send everyone else to the sign-in page, then back. */
export async function requireUser(ctx: Context, next: Next): Promise<void> {
  if (!pageOf(ctx).user) {
    ctx.status = 303;
    ctx.redirect(`/sign-in?next=${encodeURIComponent(ctx.originalUrl)}`);
    return;
  }
  await next();
}

/** Every POST carries the CSRF token of this browser and session. */
export function checkCsrf(deps: WebDeps) {
  return async (ctx: Context, next: Next) => {
    if (ctx.method === 'POST') {
      const form = await formBody(ctx);
      if (!deps.csrf.verify(ctx, form[CSRF_FIELD], pageOf(ctx).session?.userId)) throw new ApiError('FORBIDDEN', 'csrf');
    }
    await next();
  };
}

/** Where a sign-in may send someone back to: a path on this site only. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}
