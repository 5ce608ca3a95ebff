// Prometheus metrics: requests by route and outcome, latency, and gauges read at scrape time
// (open and overdue tasks, open incidents, queue depths).
import client from 'prom-client';
import type { Context, Next } from 'koa';
import { systemAccess } from '../db/access.js';
import { openIncidentCount, openTaskCounts, pendingOutboxCount } from '../db/repositories/metrics.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Queues } from '../workers/queues/types.js';

export function createMetrics(rt: Runtime, queues?: Queues) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({ name: 'camau_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new client.Histogram({ name: 'camau_http_request_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  const system = systemAccess('metrics');
  new client.Gauge({
    name: 'camau_tasks_open', help: 'Open tasks, and those past their due date', labelNames: ['overdue'], registers: [registry],
    async collect() {
      const { open, overdue } = await rt.db.transaction(system, (trx) => openTaskCounts(trx));
      this.set({ overdue: 'false' }, open - overdue);
      this.set({ overdue: 'true' }, overdue);
    },
  });
  new client.Gauge({
    name: 'camau_incidents_open', help: 'Open incidents', registers: [registry],
    async collect() {
      this.set(await rt.db.transaction(system, (trx) => openIncidentCount(trx)));
    },
  });
  new client.Gauge({
    name: 'camau_outbox_pending', help: 'Outbox rows not yet relayed', registers: [registry],
    async collect() {
      this.set(await rt.db.transaction(system, (trx) => pendingOutboxCount(trx)));
    },
  });
  if (queues) {
    new client.Gauge({
      name: 'camau_queue_pending', help: 'Jobs waiting or delayed per queue', labelNames: ['queue'], registers: [registry],
      async collect() {
        for (const q of ['timers', 'notifications']) this.set({ queue: q }, await queues.pending(q));
      },
    });
  }
  const middleware = async (ctx: Context, next: Next) => {
    const end = latency.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: String(route) });
      requests.inc({ method: ctx.method, route: String(route), status: String(ctx.status) });
    }
  };
  return { registry, middleware };
}
