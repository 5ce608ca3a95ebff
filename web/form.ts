// Form posts (application/x-www-form-urlencoded): read with a size limit into a plain object.
// A field sent more than once keeps its last value.
import type { Context } from 'koa';
import getRawBody from 'raw-body';

export const FORM_LIMIT = 512 * 1024;

export async function formBody(ctx: Context): Promise<Record<string, string>> {
  if (ctx.state.form) return ctx.state.form as Record<string, string>;
  const type = ctx.get('content-type');
  const text = await getRawBody(ctx.req, { limit: FORM_LIMIT, encoding: 'utf8', length: ctx.get('content-length') || undefined });
  const out: Record<string, string> = {};
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  }
  ctx.state.form = out;
  return out;
}
