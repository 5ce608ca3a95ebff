// Idempotency-Key on POST: a retried request (same user, same key, same body) gets the first
// response back and does nothing twice; the same key with another body is refused; a retry
// that arrives while the first is still running is told so.
import { createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import { systemAccess } from '../db/access.js';
import type { Database } from '../db/connection.js';
import { ApiError } from './errors.js';
import { raw } from './body.js';

const access = systemAccess('idempotency keys');

export function idempotency(db: Database) {
  return async (ctx: Context, next: Next) => {
    const key = ctx.get('idempotency-key');
    if (ctx.method !== 'POST' || !key) return next();
    if (key.length > 200) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be at most 200 characters');
    const userId = ctx.state.userId as string;
    const hash = createHash('sha256').update(`${ctx.method} ${ctx.url}\n${await raw(ctx)}`).digest('hex');
    const claimed = await db.transaction(access, async (trx) => {
      const inserted = await trx('idempotency_keys').insert({ user_id: userId, key, request_hash: hash, status: 'pending' }).onConflict(['user_id', 'key']).ignore().returning('key');
      if (inserted.length) return undefined;
      return trx('idempotency_keys').where({ user_id: userId, key }).first();
    });
    if (claimed) {
      if (claimed.request_hash !== hash) throw new ApiError('CONFLICT', 'This Idempotency-Key was used for a different request');
      if (claimed.status === 'pending') throw new ApiError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
      ctx.status = claimed.response_status;
      for (const [k, v] of Object.entries((claimed.response_headers ?? {}) as Record<string, string>)) ctx.set(k, v);
      ctx.type = 'application/json';
      ctx.body = claimed.response_text;
      ctx.set('Idempotent-Replayed', 'true');
      return;
    }
    try {
      await next();
    } catch (e) {
      // A failed request may be retried with the same key.
      await db.transaction(access, (trx) => trx('idempotency_keys').where({ user_id: userId, key }).delete());
      throw e;
    }
    const headers = Object.fromEntries(['location', 'etag'].filter((h) => ctx.response.get(h)).map((h) => [h, ctx.response.get(h)]));
    const text = JSON.stringify(ctx.body ?? null);
    // The exact bytes are kept, so a replay is identical to the first response.
    ctx.body = text;
    ctx.type = 'application/json';
    await db.transaction(access, (trx) => trx('idempotency_keys').where({ user_id: userId, key }).update({ status: 'done', response_status: ctx.status, response_text: text, response_headers: JSON.stringify(headers) }));
  };
}
