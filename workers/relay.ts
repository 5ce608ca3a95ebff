// The outbox relay: claims pending outbox rows in batches (FOR UPDATE SKIP LOCKED, so several
// relays can run) and hands them to the queues. The outbox is the source of truth; a row is
// marked done only after its job was added, and adding the same job id again is harmless.
//
// Effects between cases (call activities, messages, signals) do not go through a queue: they
// are performed in the transaction that claims their row (runtime/cross-case.ts), because a
// queued job may run twice and a message must be correlated once.
import { systemAccess } from '../db/access.js';
import { markDone, type OutboxRow } from '../db/repositories/outbox.js';
import type { Effect } from '../engine/index.js';
import { CROSS_CASE, performCrossCaseEffects } from '../runtime/cross-case.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Knex } from 'knex';
import { jobId, type Queues } from './queues/types.js';
import { NOTIFICATION_JOB_OPTIONS } from './notifications/index.js';

export const TIMERS = 'timers';
export const NOTIFICATIONS = 'notifications';
export const jobsQueue = (type: string) => `jobs.${type.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
export const timerJobId = (caseId: string, timerId: string) => jobId('t', caseId, timerId);
export const serviceJobId = (caseId: string, eid: string, activation: number) => jobId('j', caseId, eid, activation);

/** What a service-task job carries to its worker. */
export interface ServiceJobData {
  caseId: string;
  eid: string;
  element: string;
  type: string;
  variables: Record<string, unknown>;
  headers?: Record<string, string>;
  [k: string]: unknown;
}

type Row = OutboxRow & { payload: Effect & { activation?: number } };

/** Moves one batch of outbox rows into the queues; returns how many rows it handled. */
export async function relayOnce(rt: Runtime, queues: Queues, batch = 200): Promise<number> {
  return rt.db.transaction(systemAccess('outbox relay'), async (trx) => {
    const rows: Row[] = await trx('outbox').where({ status: 'pending' }).whereNotIn('kind', CROSS_CASE).orderBy('id').limit(batch).forUpdate().skipLocked();
    if (rows.length === 0) return 0;
    const now = Date.parse(rt.clock.now());
    for (const row of rows) await dispatch(queues, row, now, trx);
    await markDone(trx, rows.map((r) => r.id), rt.clock.now());
    return rows.length;
  });
}

async function dispatch(queues: Queues, row: Row, now: number, trx: Knex): Promise<void> {
  const fx = row.payload;
  const caseId = row.case_id!;
  switch (fx.type) {
    case 'scheduleTimer':
      await queues.add(TIMERS, timerJobId(caseId, fx.timerId), { caseId, timerId: fx.timerId }, { delayMs: Date.parse(fx.dueAt) - now, attempts: 5, backoffMs: 500 }, trx);
      return;
    case 'cancelTimer':
      await queues.remove(TIMERS, timerJobId(caseId, fx.timerId), trx);
      return;
    case 'activateJob': {
      const data: ServiceJobData = { caseId, eid: fx.eid, element: fx.el, type: fx.jobType, variables: fx.variables, ...(fx.headers ? { headers: fx.headers } : {}) };
      await queues.add(jobsQueue(fx.jobType), serviceJobId(caseId, fx.eid, fx.activation ?? 0), data, { attempts: Math.max(1, fx.retries), backoffMs: 1000 }, trx);
      return;
    }
    case 'notify':
      // A mail server's hiccup is retried; a message recorded as sent is never sent again.
      await queues.add(NOTIFICATIONS, jobId('n', row.id), { outboxId: row.id, caseId, effect: fx }, NOTIFICATION_JOB_OPTIONS, trx);
      return;
    // Recorded in the projections already; nothing to do in the world.
    default:
      return;
  }
}

/** Relays and performs cross-case effects until the outbox is empty; for tests and the embedded loop. */
export async function drainOutbox(rt: Runtime, queues: Queues): Promise<void> {
  for (;;) {
    const moved = (await relayOnce(rt, queues)) + (await performCrossCaseEffects(rt, 200));
    if (moved === 0) return;
  }
}
