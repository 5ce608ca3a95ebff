// Pages are Nunjucks templates (web/views) using GOV.UK Frontend's macros from the package.
// Each render gets the page's language, its translator and formatters, the signed-in user,
// the navigation and the CSRF token. Templates are compiled once; CAMAU_WEB_RELOAD=1 rereads
// them on every render while editing.
import nunjucks from 'nunjucks';
import { join } from 'node:path';
import type { Context } from 'koa';
import { GOVUK_DIST } from './static.js';
import type { PageState } from './page.js';

const VIEWS = new URL('./views/', import.meta.url).pathname;

export const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS, GOVUK_DIST], { noCache: process.env.CAMAU_WEB_RELOAD === '1' }), {
  autoescape: true,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
});

env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2));
/** JSON safe to place inside <script type="application/json">. */
env.addFilter('scriptJson', (v: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')));

export function render(ctx: Context, view: string, data: Record<string, unknown> = {}, status = 200): void {
  const page = ctx.state.page as PageState;
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = env.render(join(view.endsWith('.njk') ? view : `${view}.njk`), { ...page.view, ...data });
}
