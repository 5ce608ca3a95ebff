// A worker process: the outbox relay (and cross-case effects), the reconciler (below), and the
// consumers of the timer and notification queues, plus any service-task workers the caller
// registers. Any number of these may run at once against one database and one Redis. stop() —
// called on SIGTERM — stops taking work and lets active jobs finish.
import type { Runtime } from '../runtime/runtime.js';
import type { Queues } from './queues/types.js';
import { drainOutbox } from './relay.js';
import { reconcile } from './reconciler.js';
import { consumeTimers } from './timers.js';
import { consumeNotifications, type Mailer } from './notifications/index.js';

export interface WorkerOptions {
  /** Sends notifications; without one, notification jobs wait for a worker that has one. */
  mailer?: Mailer;
  /** How often the relay looks at the outbox when it found nothing (ms). */
  relayIdleMs?: number;
  /** How often the reconciler looks whether the queue store lost its jobs (ms; default a minute). */
  reconcileEveryMs?: number;
  /** How often it re-adds everything even so (ms; default 15 minutes). */
  fullReconcileEveryMs?: number;
  /** Registers extra consumers (notifications, service-task workers). */
  extra?: (ctx: { rt: Runtime; queues: Queues }) => void;
  onError?: (where: string, e: unknown) => void;
}

export interface RunningWorkers {
  stop(): Promise<void>;
}

export async function startWorkers(rt: Runtime, queues: Queues, opts: WorkerOptions = {}): Promise<RunningWorkers> {
  let stopped = false;
  const onError = opts.onError ?? (() => undefined);
  // The reconciler: a full pass at start and every quarter of an hour; every minute in between,
  // a full pass only if the queue store lost its jobs (a Redis restart or FLUSHALL takes the
  // marker set before the last pass with it). A full pass re-adds every pending timer: with tens
  // of thousands pending, real work for Redis and this process, not worth doing every minute
  // when nothing was lost.
  let lastFull = 0;
  const reconcileNow = async (full: boolean) => {
    if (!full && (await queues.intact())) return;
    // Marked before the pass, so that a loss during it takes the marker with it.
    await queues.markIntact();
    lastFull = Date.now();
    await reconcile(rt, queues);
  };
  await reconcileNow(true).catch((e) => onError('reconcile', e));
  consumeTimers(rt, queues);
  if (opts.mailer) consumeNotifications(rt, queues, opts.mailer);
  opts.extra?.({ rt, queues });

  let relayTimer: NodeJS.Timeout | undefined;
  let relaying: Promise<void> = Promise.resolve();
  const relay = () => {
    relaying = drainOutbox(rt, queues)
      .catch((e) => onError('relay', e))
      .then(() => {
        if (!stopped) relayTimer = setTimeout(relay, opts.relayIdleMs ?? 50);
      });
  };
  relay();
  // One reconciliation at a time; stop() waits for the one under way before closing the queues.
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconciler = setInterval(() => {
    const full = Date.now() - lastFull >= (opts.fullReconcileEveryMs ?? 15 * 60_000);
    reconciling = reconciling.then(() => (stopped ? undefined : reconcileNow(full).catch((e) => onError('reconcile', e))));
  }, opts.reconcileEveryMs ?? 60_000);

  return {
    async stop() {
      stopped = true;
      clearTimeout(relayTimer);
      clearInterval(reconciler);
      await relaying;
      await reconciling;
      await queues.close();
      await opts.mailer?.close();
    },
  };
}
