// Idempotency-Key on POST: a retried request (same user, same key, same body) gets the first
// response back and does nothing twice; the same key with another request is refused.
//
// Two ways, chosen by the route (RouteSpec.idempotency):
// - 'claim' (the default): the key is claimed before the route runs (a retry that arrives while
//   the first is still running is told so), the response saved after it; a failure frees the key.
// - 'in-command' (the task commands): the route has its command write the key's record, with the
//   response, in the command's own transaction (runtime/execute.ts CommandOptions.record), so the
//   change and its record are written together or not at all, at no extra round trip. A retry
//   runs the route again: the case has moved on (the command is refused) or the record is
//   already there (its insert fails, and the whole transaction with it); either way the stored
//   record then answers.
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { systemAccess } from '../db/access.js';
import { claimKey, findKey, isKeyTaken, releaseKey, saveResponse, type IdempotencyRow } from '../db/repositories/idempotency.js';
import type { IdempotencyRecord } from '../db/repositories/steps.js';
import type { Runtime } from '../runtime/runtime.js';
import { raw } from './body.js';
import { ApiError } from './errors.js';

const access = systemAccess('idempotency keys');

/** The key a request carries, with what identifies the request. */
export interface IdempotencyKey {
  userId: string;
  key: string;
  requestHash: string;
}

/** Response headers a replay repeats. */
const KEPT_HEADERS = ['location', 'etag'];

async function keyOf(ctx: Context): Promise<IdempotencyKey | undefined> {
  const key = ctx.get('idempotency-key');
  if (ctx.method !== 'POST' || !key) return undefined;
  if (key.length > 200) throw new ApiError('BAD_REQUEST', 'Idempotency-Key must be at most 200 characters');
  const requestHash = createHash('sha256').update(`${ctx.method} ${ctx.url}\n${await raw(ctx)}`).digest('hex');
  return { userId: ctx.state.userId as string, key, requestHash };
}

/** Answers a request from the stored record of its key. */
function answer(ctx: Context, k: IdempotencyKey, stored: IdempotencyRow): void {
  if (stored.request_hash !== k.requestHash) throw new ApiError('CONFLICT', 'This Idempotency-Key was used for a different request');
  if (stored.status === 'pending') throw new ApiError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
  ctx.status = stored.response_status!;
  for (const [h, v] of Object.entries(stored.response_headers ?? {})) ctx.set(h, v);
  ctx.type = 'application/json';
  ctx.body = stored.response_text;
  ctx.set('Idempotent-Replayed', 'true');
}

/** Sets the response as JSON text, exactly as recorded (so that a replay is byte for byte the same). */
export function respondWith(ctx: Context, r: { status: number; text: string; headers: Record<string, string> }): void {
  ctx.status = r.status;
  for (const [h, v] of Object.entries(r.headers)) ctx.set(h, v);
  ctx.type = 'application/json';
  ctx.body = r.text;
}

/** Runs a route under its Idempotency-Key, if the request has one. */
export function idempotency(rt: Runtime) {
  const claimed = async (ctx: Context, k: IdempotencyKey, run: () => Promise<void>) => {
    if (!(await rt.db.command(access, (tx) => claimKey(tx, k.userId, k.key, k.requestHash)))) {
      const stored = await rt.db.command(access, (tx) => findKey(tx, k.userId, k.key));
      // Claimed and freed again in between (its request failed): this one may try again.
      if (!stored) throw new ApiError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
      return answer(ctx, k, stored);
    }
    try {
      await run();
    } catch (e) {
      // A failed request may be retried with the same key.
      await rt.db.command(access, (tx) => releaseKey(tx, k.userId, k.key));
      throw e;
    }
    const headers = Object.fromEntries(KEPT_HEADERS.filter((h) => ctx.response.get(h)).map((h) => [h, ctx.response.get(h)]));
    const text = JSON.stringify(ctx.body ?? null);
    respondWith(ctx, { status: ctx.status, text, headers });
    await rt.db.command(access, (tx) => saveResponse(tx, k.userId, k.key, { status: ctx.status, text, headers }));
  };

  const inCommand = async (ctx: Context, k: IdempotencyKey, run: () => Promise<void>) => {
    ctx.state.idempotency = k;
    try {
      await run();
    } catch (e) {
      // Refused, or the record already there: a first request with this key may have been done.
      const stored = await rt.db.command(access, (tx) => findKey(tx, k.userId, k.key));
      if (stored) return answer(ctx, k, stored);
      if (isKeyTaken(e)) throw new ApiError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
      throw e;
    }
  };

  return async (ctx: Context, mode: 'claim' | 'in-command', run: () => Promise<void>) => {
    const k = await keyOf(ctx);
    if (!k) return run();
    return mode === 'claim' ? claimed(ctx, k, run) : inCommand(ctx, k, run);
  };
}

/**
 * The record a command writes for the request's key, from the response it will give; undefined
 * without a key. `present` gives the response for a change, and may be called for several
 * attempts (a command retried on the locked row): the last is the one that was written.
 */
export function commandRecord<C>(ctx: Context, present: (change: C) => { status: number; body: unknown; headers: Record<string, string> }) {
  const k = ctx.state.idempotency as IdempotencyKey | undefined;
  let last: { change: C; response: { status: number; text: string; headers: Record<string, string> } } | undefined;
  const response = (change: C) => {
    if (last?.change !== change) {
      const p = present(change);
      last = { change, response: { status: p.status, text: JSON.stringify(p.body), headers: p.headers } };
    }
    return last.response;
  };
  return {
    record: k ? (change: C): IdempotencyRecord => ({ ...k, ...response(change) }) : undefined,
    /** The response for the change the command returned (the recorded one, when there is a key). */
    response,
  };
}
