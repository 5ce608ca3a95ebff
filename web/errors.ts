// Errors on pages are pages: a refusal or a missing case renders a GOV.UK error page in the
// page's language; anything unexpected is logged and shown as "sorry, there is a problem".
import type { Context, Next } from 'koa';
import { ApiError } from '../api/errors.js';
import type { RuntimeError } from '../runtime/errors.js';
import { pageOf, type WebDeps } from './page.js';
import { render } from './render.js';

export function pageErrors(deps: WebDeps) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (e) {
      const page = pageOf(ctx);
      if (!page) throw e;
      const http = e as { status?: number; type?: string };
      let status = e instanceof ApiError ? e.status : http.type === 'entity.too.large' ? 413 : 500;
      if (status >= 500) deps.log?.error({ err: e, requestId: ctx.state.requestId }, 'page error');
      const special = e instanceof ApiError && ['csrf', 'oidc', 'no-account'].includes(e.message) ? e.message.replace('no-account', 'noAccount') : undefined;
      const kind = special ? special : status === 404 ? 'notFound' : status === 403 ? 'forbidden' : status === 413 ? 'tooLarge' : status >= 500 ? 'server' : 'bad';
      if (status === 401) status = 403;
      render(ctx, 'error', { kind, requestId: ctx.state.requestId }, status);
    }
  };
}

/** The message to show for a refused command, in the page's language. */
export function refusal(ctx: Context, e: RuntimeError): string {
  const { t } = pageOf(ctx);
  const reason = (e.details as { reason?: string } | undefined)?.reason;
  if (e.code === 'CONFLICT') return t('errors.conflict');
  if (e.code === 'NOT_FOUND') return t('errors.taskGone');
  if (e.code === 'FORBIDDEN') return t('errors.notAllowed');
  if (reason === 'SIGNOFF_REJECTED') {
    if (/already approved/.test(e.message)) return t('signoff.errors.alreadyApproved');
    if (/two roles/.test(e.message)) return t('signoff.errors.twoRoles');
    if (/authored/.test(e.message)) return t('signoff.errors.author');
    if (/needs a comment/.test(e.message)) return t('signoff.errors.commentRequired');
    return t('signoff.errors.rejected');
  }
  if (/already claimed/.test(e.message)) return t('errors.alreadyClaimed');
  return t('errors.rejected');
}
