// The reconciler restores work the queues may have lost (a Redis restart or FLUSHALL deletes
// delayed jobs without trace): every pending timer and every open service-task job is added
// again under its deterministic id, which is harmless when the job still exists. Safe to run
// at any time, by any number of workers.
import { systemAccess } from '../db/access.js';
import type { Runtime } from '../runtime/runtime.js';
import { jobsQueue, serviceJobId, TIMERS, timerJobId, type ServiceJobData } from './relay.js';
import type { Queues } from './queues/types.js';
import { requeueUnfinishedNotifications } from './notifications/index.js';

export interface Reconciled {
  timers: number;
  jobs: number;
}

export async function reconcile(rt: Runtime, queues: Queues): Promise<Reconciled> {
  const { timers, jobs } = await rt.db.transaction(systemAccess('reconciler'), async (trx) => ({
    timers: await trx('timers').where({ status: 'pending' }).select('case_id', 'timer_id', 'due_at'),
    jobs: await trx('jobs as j').join('cases as c', 'c.id', 'j.case_id').where({ 'j.status': 'open' }).select('j.case_id', 'j.job_id', 'j.element_id', 'j.type', 'j.retries', 'j.activation', 'c.snapshot'),
  }));
  const now = Date.parse(rt.clock.now());
  for (const t of timers) {
    await queues.add(TIMERS, timerJobId(t.case_id, t.timer_id), { caseId: t.case_id, timerId: t.timer_id }, { delayMs: new Date(t.due_at).getTime() - now, attempts: 5, backoffMs: 500 });
  }
  for (const j of jobs) {
    const data: ServiceJobData = { caseId: j.case_id, eid: j.job_id, element: j.element_id, type: j.type, variables: { ...(j.snapshot?.vars ?? {}) } };
    await queues.add(jobsQueue(j.type), serviceJobId(j.case_id, j.job_id, j.activation), data, { attempts: Math.max(1, j.retries), backoffMs: 1000 });
  }
  // Notifications relayed but not yet sent when the queue store was lost.
  await requeueUnfinishedNotifications(rt, queues);
  return { timers: timers.length, jobs: jobs.length };
}
