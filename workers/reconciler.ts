// The reconciler restores work the queues may have lost (a Redis restart or FLUSHALL deletes
// delayed jobs without trace): every pending timer and every open service-task job is added
// again under its deterministic id, which is harmless when the job still exists. Safe to run
// at any time, by any number of workers.
//
// Pending timers are read a page at a time, soonest due first (after a flush those matter most),
// and each page is added in one round trip: a timer read long before its job is re-added may
// fire in between, and its re-added job would then run again for nothing (harmless, but work
// taken from timers that are due).
import { systemAccess } from '../db/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { jobsQueue, serviceJobId, TIMERS, timerJob, type ServiceJobData } from './relay.js';
import type { NewJob, Queues } from './queues/types.js';
import { requeueUnfinishedNotifications } from './notifications/index.js';

export interface Reconciled {
  timers: number;
  jobs: number;
}

const access = systemAccess('reconciler');

export async function reconcile(rt: Runtime, queues: Queues, page = 1000): Promise<Reconciled> {
  let timers = 0;
  let after: [string, string, string] | undefined;
  for (;;) {
    // due_key: due_at as PostgreSQL prints it, to the microsecond, so the next page starts exactly after this one.
    const rows: Array<{ case_id: string; timer_id: string; due_at: Date; due_key: string }> = await rt.db.transaction(access, (trx) => {
      const q = trx('timers').where({ status: 'pending' });
      if (after) q.andWhereRaw('(due_at, case_id, timer_id) > (?::timestamptz, ?::uuid, ?)', after);
      return q.orderBy(['due_at', 'case_id', 'timer_id']).limit(page).select('case_id', 'timer_id', 'due_at', trx.raw('due_at::text as due_key'));
    });
    if (rows.length === 0) break;
    const now = Date.parse(rt.clock.now());
    await queues.addMany(TIMERS, rows.map((t) => timerJob(t.case_id, t.timer_id, new Date(t.due_at).toISOString(), now)));
    timers += rows.length;
    const last = rows[rows.length - 1];
    after = [last.due_key, last.case_id, last.timer_id];
    if (rows.length < page) break;
  }

  const jobs = await rt.db.transaction(access, (trx) =>
    trx('jobs as j').join('cases as c', 'c.id', 'j.case_id').where({ 'j.status': 'open' }).select('j.case_id', 'j.job_id', 'j.element_id', 'j.type', 'j.retries', 'j.activation', 'c.snapshot'));
  const byQueue = new Map<string, NewJob[]>();
  for (const j of jobs) {
    const data: ServiceJobData = { caseId: j.case_id, eid: j.job_id, element: j.element_id, type: j.type, variables: { ...(j.snapshot?.vars ?? {}) } };
    const queue = jobsQueue(j.type);
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), { id: serviceJobId(j.case_id, j.job_id, j.activation), data, opts: { attempts: Math.max(1, j.retries), backoffMs: 1000 } }]);
  }
  for (const [queue, list] of byQueue) await queues.addMany(queue, list);
  // Notifications relayed but not yet sent when the queue store was lost.
  await requeueUnfinishedNotifications(rt, queues);
  return { timers, jobs: jobs.length };
}
