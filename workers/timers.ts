// The timer worker: a due timer job runs the fire-timer command. Firing is idempotent (a timer
// that was cancelled or already fired changes nothing), so a job that runs twice is harmless.
import { fireTimer } from '../runtime/commands/fire-timer.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Queues } from './queues/types.js';
import { TIMERS } from './relay.js';

export function consumeTimers(rt: Runtime, queues: Queues, concurrency = 16): void {
  queues.consume(TIMERS, async (job) => {
    const { caseId, timerId } = job.data as { caseId: string; timerId: string };
    const r = await fireTimer(rt, caseId, timerId);
    // A case that no longer exists or has ended: nothing to fire. Anything else is retried.
    if (!r.ok && r.error.code !== 'NOT_FOUND' && r.error.code !== 'REJECTED') throw new Error(r.error.message);
  }, { concurrency });
}
