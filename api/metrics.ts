// Prometheus metrics: requests by route and outcome, latency, and gauges read at scrape time
// (open and overdue tasks, open incidents, queue depths).
import client from 'prom-client';
import type { Context, Next } from 'koa';
import { systemAccess } from '../db/access.js';
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
      const [row] = await rt.db.transaction(system, (trx) => trx('tasks').where({ status: 'open' }).select(trx.raw('count(*) as open'), trx.raw('count(*) filter (where due_at < now()) as overdue')));
      this.set({ overdue: 'false' }, Number(row.open) - Number(row.overdue));
      this.set({ overdue: 'true' }, Number(row.overdue));
    },
  });
  new client.Gauge({
    name: 'camau_incidents_open', help: 'Open incidents', registers: [registry],
    async collect() {
      const [row] = await rt.db.transaction(system, (trx) => trx('incidents').where({ status: 'open' }).count<{ count: string }[]>('* as count'));
      this.set(Number(row.count));
    },
  });
  new client.Gauge({
    name: 'camau_outbox_pending', help: 'Outbox rows not yet relayed', registers: [registry],
    async collect() {
      const [row] = await rt.db.transaction(system, (trx) => trx('outbox').where({ status: 'pending' }).count<{ count: string }[]>('* as count'));
      this.set(Number(row.count));
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
