// Parameters for GOV.UK pagination, in the page's language.
import type { Context } from 'koa';
import { pageOf } from './page.js';

export function pagination(ctx: Context, path: string, params: URLSearchParams, page: number, pageSize: number, total: number) {
  const { t } = pageOf(ctx);
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last <= 1) return undefined;
  const href = (n: number) => {
    const p = new URLSearchParams(params);
    p.set('page', String(n));
    return `${path}?${p}`;
  };
  const numbers = [...new Set([1, page - 1, page, page + 1, last])].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const items: Array<Record<string, unknown>> = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page, visuallyHiddenText: t('paging.page', { n }) });
  });
  return {
    landmarkLabel: t('paging.label'),
    items,
    ...(page > 1 ? { previous: { href: href(page - 1), text: t('paging.previous') } } : {}),
    ...(page < last ? { next: { href: href(page + 1), text: t('paging.next') } } : {}),
  };
}
