// The queues Camau's workers use, whatever carries them: BullMQ on Redis, or the embedded
// driver (jobs kept in PostgreSQL/PGlite) when there is no REDIS_URL. One contract, one test
// suite for both (test/integration/queues.test.ts).
import type { Knex } from 'knex';

export type JobData = Record<string, unknown>;

export interface QueueJob {
  id: string;
  data: JobData;
  /** Attempts made before this one (0 on the first run). */
  attemptsMade: number;
  /** Attempts allowed in all. */
  attempts: number;
}

export interface AddOptions {
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Attempts in all (1 = no retry). */
  attempts?: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs?: number;
}

export type Handler = (job: QueueJob) => Promise<void>;

/** One job for addMany. */
export interface NewJob {
  id: string;
  data: JobData;
  opts?: AddOptions;
}

export interface Queues {
  readonly kind: 'bullmq' | 'embedded';
  /**
   * Adds a job; adding an id that is already waiting, delayed or active does nothing. `trx`: the
   * caller's open transaction, which the embedded driver writes in (so a relay's claim and its
   * adds commit together, and PGlite's single connection is never asked for a second one).
   */
  add(queue: string, jobId: string, data: JobData, opts?: AddOptions, trx?: Knex): Promise<void>;
  /** Adds several jobs to one queue in one round trip, each as `add` would; `trx` as for add. */
  addMany(queue: string, jobs: NewJob[], trx?: Knex): Promise<void>;
  /** Removes a waiting or delayed job (a cancelled timer); an unknown id is fine. `trx` as for add. */
  remove(queue: string, jobId: string, trx?: Knex): Promise<void>;
  /** Runs `handler` for each job of `queue`; a throw retries with backoff until attempts run out, then `onFailed`. */
  consume(queue: string, handler: Handler, opts?: { concurrency?: number; onFailed?: (job: QueueJob, error: Error) => Promise<void> }): void;
  /**
   * False when the store may have lost jobs since the last markIntact() (Redis restarted without
   * persistence, or FLUSHALL): the reconciler then re-adds everything at once.
   */
  intact(): Promise<boolean>;
  markIntact(): Promise<void>;
  /** Jobs waiting or delayed, for metrics and tests. */
  pending(queue: string): Promise<number>;
  /** Stops taking jobs, lets the active ones finish, and releases connections. */
  close(): Promise<void>;
}

/** BullMQ forbids ':' in job ids (and plain integers); case ids are uuids, so keep to [A-Za-z0-9_-]. */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '-')).join('_');
}
