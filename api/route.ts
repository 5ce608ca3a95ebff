// Routes are declared once, with their zod schemas: the same declaration validates requests
// and produces the OpenAPI document (api/openapi.ts), so the two cannot drift apart.
import type Router from '@koa/router';
import { z, type ZodType } from 'zod';
import { ApiError, fromZod } from './errors.js';
import { jsonBody } from './body.js';
import type { ApiContext } from './context.js';

export interface RouteSpec<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Koa-style path under /api/v1, e.g. `/cases/:id`. */
  path: string;
  summary: string;
  tag: string;
  body?: ZodType<B>;
  /** A body that is not JSON (a BPMN upload): described, read by the handler. */
  rawBody?: { contentType: string; description: string };
  query?: ZodType<Q>;
  responses: Record<number, { description: string; schema?: ZodType }>;
  /** How an Idempotency-Key is kept (api/idempotency.ts): claimed around the handler, or recorded by its command. */
  idempotency?: 'claim' | 'in-command';
  handler: (ctx: ApiContext, input: { body: B; query: Q; params: Record<string, string> }) => Promise<void>;
}

/** The routes of one app: declared by the route modules, mounted and described from here. */
export class Registry {
  readonly routes: Array<RouteSpec<any, any>> = [];

  route<B, Q>(spec: RouteSpec<B, Q>): void {
    this.routes.push(spec);
  }
}

/** Runs a route's validation and handler under the request's Idempotency-Key, if any. */
export type KeyedRun = (ctx: ApiContext, mode: 'claim' | 'in-command', run: () => Promise<void>) => Promise<void>;

export function mount(router: Router, prefix: string, registry: Registry, keyed: KeyedRun): void {
  for (const r of registry.routes) {
    router[r.method](`${prefix}${r.path}`, (ctx) => keyed(ctx as unknown as ApiContext, r.idempotency ?? 'claim', async () => {
      const c = ctx as unknown as ApiContext;
      let body: unknown;
      if (r.body) {
        const parsed = r.body.safeParse(await jsonBody(c));
        if (!parsed.success) throw fromZod(parsed.error, 'request body');
        body = parsed.data;
      }
      let query: unknown;
      if (r.query) {
        const parsed = r.query.safeParse(c.query);
        if (!parsed.success) throw fromZod(parsed.error, 'query');
        query = parsed.data;
      }
      await r.handler(c, { body, query, params: ctx.params as Record<string, string> });
    }));
  }
}

/** PostgreSQL refuses NUL in text; a control character in an identifier is never meant. */
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
export const id = z.string().min(1).max(200).regex(NO_CONTROL, 'must not contain control characters');
export const text = (max: number) => z.string().max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
export const int32 = z.number().int().max(2_147_483_647);
export const pageNumber = z.coerce.number().int().min(1).max(1_000_000);

/** Nesting deeper than this is refused before anything walks the value recursively. */
const MAX_DEPTH = 32;
function checkValue(v: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return `variables may nest at most ${MAX_DEPTH} levels`;
    if (typeof x === 'string' && x.includes('\u0000')) return 'variables must not contain NUL characters';
    if (x && typeof x === 'object') {
      for (const [k, child] of Object.entries(x)) {
        if (k.includes('\u0000')) return 'variable names must not contain NUL characters';
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

export const variables = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const problem = checkValue(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (JSON.stringify(v).length > 256 * 1024) ctx.addIssue({ code: 'custom', message: 'variables are limited to 256 KB' });
});
export const paging = {
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
};

export function notFound(what: string): never {
  throw new ApiError('NOT_FOUND', `No ${what}`);
}
