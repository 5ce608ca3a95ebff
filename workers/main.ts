// A worker process: the outbox relay (and cross-case effects), the reconciler at start and
// every minute, and the consumers of the timer and notification queues, plus any service-task
// workers the caller registers. Any number of these may run at once against one database and
// one Redis. stop() — called on SIGTERM — stops taking work and lets active jobs finish.
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
  reconcileEveryMs?: number;
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
  await reconcile(rt, queues).catch((e) => onError('reconcile', e));
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
  const reconciler = setInterval(() => void reconcile(rt, queues).catch((e) => onError('reconcile', e)), opts.reconcileEveryMs ?? 60_000);

  return {
    async stop() {
      stopped = true;
      clearTimeout(relayTimer);
      clearInterval(reconciler);
      await relaying;
      await queues.close();
      await opts.mailer?.close();
    },
  };
}
