// What every route works with: the runtime, and the caller (who they are and what they hold).
import type { Context } from 'koa';
import type { UserAccess } from '../runtime/access.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Actor } from '../engine/audit/index.js';
import { ApiError, fromRuntime } from './errors.js';
import type { Outcome } from '../runtime/errors.js';
import type { IdempotencyKey } from './idempotency.js';

export interface ApiState {
  userId: string;
  user: UserAccess;
  requestId: string;
  /** The request's Idempotency-Key, for a route whose command records it (api/idempotency.ts). */
  idempotency?: IdempotencyKey;
}

export type ApiContext = Context & { state: ApiState };

export function actorOf(ctx: ApiContext, role?: string): Actor {
  return { userId: ctx.state.userId, ...(role ? { role } : {}) };
}

/** The case version from If-Match (`"3"`, `W/"3"` or `3`), if the caller sent one. */
export function ifMatch(ctx: Context): number | undefined {
  const raw = ctx.get('if-match');
  if (!raw) return undefined;
  if (raw.trim() === '*') return undefined; // any current version
  const m = /^(?:W\/)?(?:"(\d+)"|(\d+))$/.exec(raw.trim());
  if (!m) throw new ApiError('BAD_REQUEST', 'If-Match must be the case version, e.g. If-Match: "3"');
  return Number(m[1] ?? m[2]);
}

/** The value of an Outcome, or the matching API error. */
export function unwrap<T>(o: Outcome<T>, ctx?: Context): T {
  if (!o.ok) throw fromRuntime(o.error, !!ctx?.get('if-match'));
  return o.value;
}

export interface Services {
  rt: Runtime;
}
