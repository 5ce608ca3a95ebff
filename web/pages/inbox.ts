// The task inbox (/): my tasks and tasks open to my roles, filtered by procedure, school and
// due date, soonest due first, a page at a time; claim and unclaim from the list.
import type Router from '@koa/router';
import { z } from 'zod';
import { inbox, inboxChoices } from '../data/tasks.js';
import { procedureNames } from '../data/procedures.js';
import { pageOf, type WebDeps } from '../page.js';
import { render } from '../render.js';
import { pagination } from '../paging.js';

export const PAGE_SIZE = 20;

const Query = z.object({
  procedure: z.string().max(200).optional().catch(undefined),
  school: z.string().max(200).optional().catch(undefined),
  due: z.enum(['overdue', 'week', 'later', 'none', '']).optional().catch(undefined),
  show: z.enum(['me', 'any']).default('any').catch('any'),
  page: z.coerce.number().int().min(1).max(100000).default(1).catch(1),
  done: z.string().max(40).optional().catch(undefined),
});

export function inboxRoutes(router: Router, deps: WebDeps): void {
  router.get('/', async (ctx) => {
    const { user, lang, t } = pageOf(ctx);
    const q = Query.parse(ctx.query);
    const filter = { assigned: q.show, definitionKey: q.procedure || undefined, schoolId: q.school || undefined, due: q.due || '', page: q.page, pageSize: PAGE_SIZE } as const;
    const [{ items, total }, choices, names] = await Promise.all([inbox(deps.rt, user!, filter), inboxChoices(deps.rt, user!), procedureNames(deps.rt, lang)]);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ procedure: q.procedure, school: q.school, due: q.due, show: q.show === 'me' ? 'me' : undefined })) if (v) params.set(k, v);
    render(ctx, 'inbox', {
      title: t('inbox.title'), current: 'inbox',
      q, items, total, procedureName: (k: string) => names.get(k) ?? k,
      procedures: choices.procedures, schools: choices.schools,
      filtered: !!(q.procedure || q.school || q.due || q.show === 'me'),
      pages: pagination(ctx, '/', params, q.page, PAGE_SIZE, total),
      back: ctx.originalUrl,
      notice: q.done && ['claimed', 'unclaimed', 'completed', 'approved', 'returned', 'started'].includes(q.done) ? t(`notice.${q.done}`) : undefined,
    });
  });
}
