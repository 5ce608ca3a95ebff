// The Koa app: request ids and logs, errors, health and metrics, the OpenAPI document and its
// readable page, then the authenticated API under /api/v1. Routes are thin: validate, call one
// runtime command, present.
import Koa from 'koa';
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { sql } from '../db/health.js';
import type { Runtime } from '../runtime/runtime.js';
import { recentAccessFor } from '../runtime/access.js';
import type { Queues } from '../workers/queues/types.js';
import { authenticate, type AuthConfig } from './auth.js';
import { ApiError, errorMiddleware } from './errors.js';
import type { Services } from './context.js';
import { idempotency } from './idempotency.js';
import { createMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { docsPage } from './docs.js';
import { mount, Registry } from './route.js';
import { caseRoutes } from './routes/cases.js';
import { taskRoutes } from './routes/tasks.js';
import { definitionRoutes } from './routes/definitions.js';
import { historyRoutes } from './routes/history.js';
import { incidentRoutes } from './routes/incidents.js';
import { reportRoutes } from './routes/reports.js';
import { settingsRoutes } from './routes/settings.js';

export interface AppOptions {
  rt: Runtime;
  auth: AuthConfig;
  queues?: Queues;
  log?: Logger;
  /** Extra routers mounted before the API (the web pages). */
  extra?: (router: Router) => void;
}

const VERSION = '0.1.0';

/** Every API route, bound to one runtime. Each app has its own: routes never outlive their database. */
export function apiRegistry(services: Services): Registry {
  const registry = new Registry();
  for (const register of [definitionRoutes, caseRoutes, taskRoutes, historyRoutes, incidentRoutes, reportRoutes, settingsRoutes]) register(registry, services);
  return registry;
}

export function createApp(opts: AppOptions): Koa {
  const { rt } = opts;
  const log = opts.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const registry = apiRegistry({ rt });
  const app = new Koa();
  app.proxy = process.env.TRUST_PROXY === '1';
  // Koa's default prints to stderr; a client that went away mid-response (a closed tab, an
  // aborted download) is not a fault of ours, so it is only worth a debug line.
  app.on('error', (err: Error & { code?: string }) => {
    const gone = err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ERR_STREAM_PREMATURE_CLOSE';
    if (gone) log.debug({ err }, 'client went away');
    else log.error({ err }, 'unhandled error');
  });
  const metrics = createMetrics(rt, opts.queues);

  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const started = Date.now();
    await next();
    log.info({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - started, user: ctx.state.userId }, 'request');
  });
  app.use(errorMiddleware(log));
  app.use(metrics.middleware);

  const open = new Router();
  open.get('/healthz', (ctx) => { ctx.body = { status: 'ok' }; });
  open.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    checks.database = await sql(rt.db).then(() => 'ok', (e: Error) => e.message);
    if (opts.queues) checks.queues = await opts.queues.pending('timers').then(() => 'ok', (e: Error) => e.message);
    const ready = Object.values(checks).every((v) => v === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  });
  open.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  const document = openApiDocument(VERSION, registry);
  open.get('/openapi.json', (ctx) => { ctx.body = document; });
  open.get('/docs', (ctx) => { ctx.type = 'html'; ctx.body = docsPage(document); });
  opts.extra?.(open);
  app.use(open.routes());

  // Everything under /api/v1 is authenticated first, matched route or not: an anonymous request
  // learns nothing about which methods or paths exist.
  const auth = authenticate(opts.auth);
  app.use(async (ctx, next) => {
    if (ctx.path !== '/api/v1' && !ctx.path.startsWith('/api/v1/')) return next();
    await auth(ctx, async () => {
      ctx.state.user = await recentAccessFor(rt, ctx.state.userId);
      await next();
    });
  });
  const api = new Router();
  mount(api, '/api/v1', registry, idempotency(rt));
  app.use(api.routes());
  app.use(api.allowedMethods({
    throw: true,
    methodNotAllowed: () => new ApiError('METHOD_NOT_ALLOWED', 'This path does not accept that method'),
    notImplemented: () => new ApiError('METHOD_NOT_ALLOWED', 'This method is not supported'),
  }));
  return app;
}
