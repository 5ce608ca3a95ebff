// Errors as `{ "error": { "code", "message", "details" } }` with stable codes. Expected failures
// (runtime Outcomes, validation) map to 4xx; anything else is a bug: logged, and a 500 that
// says nothing about internals.
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';
import type { RuntimeError } from '../runtime/errors.js';

export type ApiErrorCode =
  | 'BAD_REQUEST' | 'VALIDATION_FAILED' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
  | 'PRECONDITION_FAILED' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE' | 'INVALID_MODEL' | 'REJECTED'
  | 'IDEMPOTENCY_IN_PROGRESS' | 'METHOD_NOT_ALLOWED' | 'INTERNAL';

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400, VALIDATION_FAILED: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409,
  PRECONDITION_FAILED: 412, UNSUPPORTED_MEDIA_TYPE: 415, PAYLOAD_TOO_LARGE: 413, INVALID_MODEL: 422, REJECTED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409, METHOD_NOT_ALLOWED: 405, INTERNAL: 500,
};

export class ApiError extends Error {
  constructor(readonly code: ApiErrorCode, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function fromRuntime(e: RuntimeError, ifMatch = false): ApiError {
  switch (e.code) {
    case 'NOT_FOUND': return new ApiError('NOT_FOUND', e.message, e.details);
    // A stale If-Match is a failed precondition; a race between two commands is a conflict.
    case 'CONFLICT': return new ApiError(ifMatch ? 'PRECONDITION_FAILED' : 'CONFLICT', e.message, e.details);
    case 'FORBIDDEN': return new ApiError('FORBIDDEN', e.message, e.details);
    case 'INVALID_INPUT': return new ApiError('VALIDATION_FAILED', e.message, e.details);
    case 'INVALID_MODEL': return new ApiError('INVALID_MODEL', e.message, e.details);
    case 'REJECTED': return new ApiError('REJECTED', e.message, e.details);
  }
}

export function fromZod(e: ZodError, where: string): ApiError {
  return new ApiError('VALIDATION_FAILED', `The ${where} is not valid`, {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

export function errorMiddleware(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('NOT_FOUND', `No route ${ctx.method} ${ctx.path}`);
    } catch (e) {
      const err = e instanceof ApiError ? e : asHttpError(e);
      if (!err) {
        log.error({ err: e, requestId: ctx.state.requestId }, 'unhandled error');
        ctx.status = 500;
        ctx.body = { error: { code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged', details: { requestId: ctx.state.requestId } } };
        return;
      }
      ctx.status = err.status;
      ctx.body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
      if (err.code === 'UNAUTHENTICATED') ctx.set('WWW-Authenticate', 'Bearer');
    }
  };
}

/** Errors raised by libraries for bad input (e.g. raw-body's size limit). */
function asHttpError(e: unknown): ApiError | undefined {
  const x = e as { status?: number; type?: string; message?: string };
  if (x?.type === 'entity.too.large' || x?.status === 413) return new ApiError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (x?.status === 400) return new ApiError('BAD_REQUEST', x.message ?? 'Bad request');
  return undefined;
}
