// Request bodies: a size limit, the content type checked, JSON parsed with a clear error.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { ApiError } from './errors.js';

export const BODY_LIMIT = 1024 * 1024;

/** The body as text, read once (the idempotency check reads it before the route does). */
export async function raw(ctx: Context, limit = 4 * BODY_LIMIT): Promise<string> {
  if (typeof ctx.state.rawBody === 'string') {
    if (Buffer.byteLength(ctx.state.rawBody) > limit) throw Object.assign(new Error('request entity too large'), { type: 'entity.too.large' });
    return ctx.state.rawBody;
  }
  const text = await getRawBody(ctx.req, { limit, encoding: 'utf8', length: ctx.get('content-length') || undefined });
  ctx.state.rawBody = text;
  return text;
}

export async function jsonBody(ctx: Context): Promise<unknown> {
  const type = ctx.get('content-type');
  const text = await raw(ctx, BODY_LIMIT);
  if (text.trim() === '') return {};
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Send JSON with Content-Type: application/json (got "${type || 'none'}")`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError('BAD_REQUEST', `The body is not valid JSON: ${(e as Error).message}`);
  }
}

/** A model upload: BPMN XML as the body (application/xml, text/xml) or JSON { "source": "<xml>" }. */
export async function modelBody(ctx: Context): Promise<string> {
  const type = ctx.get('content-type');
  if (/^(application|text)\/(.+\+)?xml\b/i.test(type)) {
    const text = await raw(ctx, 4 * BODY_LIMIT);
    if (!text.trim()) throw new ApiError('BAD_REQUEST', 'The body is empty; send the BPMN XML');
    return text;
  }
  const body = await jsonBody(ctx);
  const source = (body as { source?: unknown }).source;
  if (typeof source !== 'string' || !source.trim()) throw new ApiError('VALIDATION_FAILED', 'Send the BPMN XML as the body (Content-Type: application/xml) or as JSON { "source": "..." }');
  return source;
}
