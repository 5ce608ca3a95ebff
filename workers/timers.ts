// The timer worker: a due timer job runs the fire-timer command. Firing is idempotent (a timer
// that was cancelled or already fired changes nothing), so a job that runs twice is harmless.
//
// A timer's job is made ready TIMER_LEAD_MS before its due time and its handler waits for the
// due instant itself: the queue's own pickup delay (promoting a delayed job, waking a worker)
// is then spent before the deadline rather than after it. A timer is never fired early. Jobs
// waiting for their instant hold no database connection; at most `concurrency` fire at once.
import { fireTimer } from '../runtime/commands/fire-timer.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Queues } from './queues/types.js';
import { TIMERS } from './relay.js';

/** Jobs a worker holds while they wait for their instant, on top of those firing. */
const WAITING_SLOTS = 256;

export function consumeTimers(rt: Runtime, queues: Queues, concurrency = 16): void {
  const firing = limiter(concurrency);
  queues.consume(TIMERS, async (job) => {
    const { caseId, timerId, dueAt } = job.data as { caseId: string; timerId: string; dueAt?: string };
    // setTimeout may wake a millisecond early: wait again until the instant has come.
    const due = dueAt ? Date.parse(dueAt) : 0;
    for (let wait = due - Date.now(); wait > 0; wait = due - Date.now()) await new Promise((r) => setTimeout(r, wait));
    const r = await firing(() => fireTimer(rt, caseId, timerId));
    // A case that no longer exists or has ended: nothing to fire. Anything else is retried.
    if (!r.ok && r.error.code !== 'NOT_FOUND' && r.error.code !== 'REJECTED') throw new Error(r.error.message);
  }, { concurrency: concurrency + WAITING_SLOTS });
}

/** Runs at most `n` of the given tasks at once, the others in the order they came. */
function limiter(n: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
