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
import { jobId, type NewJob, type Queues } from './queues/types.js';
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
    // Consecutive adds to one queue go in one round trip (a batch of timers is one addBulk, not
    // 200); anything else waits for the adds before it, so a timer cancelled in the same batch
    // as it was scheduled is removed after it was added, in outbox order.
    let adds: { queue: string; jobs: NewJob[] } | undefined;
    const flush = async () => {
      if (adds) await queues.addMany(adds.queue, adds.jobs, trx);
      adds = undefined;
    };
    for (const row of rows) {
      const op = dispatch(row, now);
      if (!op) continue;
      if (op.kind === 'add') {
        if (adds && adds.queue !== op.queue) await flush();
        adds ??= { queue: op.queue, jobs: [] };
        adds.jobs.push(op.job);
      } else {
        await flush();
        await queues.remove(op.queue, op.id, trx);
      }
    }
    await flush();
    await markDone(trx, rows.map((r) => r.id), rt.clock.now());
    return rows.length;
  });
}

type Op = { kind: 'add'; queue: string; job: NewJob } | { kind: 'remove'; queue: string; id: string };

/** What an outbox row asks of the queues, if anything. */
function dispatch(row: Row, now: number): Op | undefined {
  const fx = row.payload;
  const caseId = row.case_id!;
  switch (fx.type) {
    case 'scheduleTimer':
      return { kind: 'add', queue: TIMERS, job: timerJob(caseId, fx.timerId, fx.dueAt, now) };
    case 'cancelTimer':
      return { kind: 'remove', queue: TIMERS, id: timerJobId(caseId, fx.timerId) };
    case 'activateJob': {
      const data: ServiceJobData = { caseId, eid: fx.eid, element: fx.el, type: fx.jobType, variables: fx.variables, ...(fx.headers ? { headers: fx.headers } : {}) };
      return { kind: 'add', queue: jobsQueue(fx.jobType), job: { id: serviceJobId(caseId, fx.eid, fx.activation ?? 0), data, opts: { attempts: Math.max(1, fx.retries), backoffMs: 1000 } } };
    }
    case 'notify':
      // A mail server's hiccup is retried; a message recorded as sent is never sent again.
      return { kind: 'add', queue: NOTIFICATIONS, job: { id: jobId('n', row.id), data: { outboxId: row.id, caseId, effect: fx }, opts: NOTIFICATION_JOB_OPTIONS } };
    // Recorded in the projections already; nothing to do in the world.
    default:
      return undefined;
  }
}

/** How long before its due time a timer's job becomes ready (ms); see workers/timers.ts. */
export const TIMER_LEAD_MS = 250;

/**
 * The delayed job of a timer (the relay's and the reconciler's), ready TIMER_LEAD_MS before
 * `dueAt` (its handler waits for the instant: workers/timers.ts); retried, since firing is idempotent.
 */
export function timerJob(caseId: string, timerId: string, dueAt: string, now: number): NewJob {
  return { id: timerJobId(caseId, timerId), data: { caseId, timerId, dueAt }, opts: { delayMs: Date.parse(dueAt) - TIMER_LEAD_MS - now, attempts: 5, backoffMs: 500 } };
}

/** Relays and performs cross-case effects until the outbox is empty; for tests and the embedded loop. */
export async function drainOutbox(rt: Runtime, queues: Queues): Promise<void> {
  for (;;) {
    const moved = (await relayOnce(rt, queues)) + (await performCrossCaseEffects(rt, 200));
    if (moved === 0) return;
  }
}
