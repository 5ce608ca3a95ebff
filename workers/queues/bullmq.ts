// BullMQ on Redis. Delayed jobs for timers, attempts + exponential backoff for service tasks.
// Completed jobs are removed at once: a kept one would block re-adding its id (a reconciler
// re-adding a timer after a Redis flush relies on that).
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AddOptions, Handler, NewJob, Queues, QueueJob } from './types.js';

function jobOptions(jobId: string, opts: AddOptions = {}) {
  return {
    jobId,
    delay: Math.max(0, Math.round(opts.delayMs ?? 0)),
    attempts: opts.attempts ?? 1,
    backoff: { type: 'exponential' as const, delay: opts.backoffMs ?? 1000 },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}

export class BullQueues implements Queues {
  readonly kind = 'bullmq' as const;
  private queues = new Map<string, Queue>();
  private workers: Array<{ worker: Worker; connection: Redis }> = [];
  private redis: Redis;

  /** `lockMs`: how long a job may run without its worker renewing the lock before another worker takes it again (a worker killed mid-job). */
  constructor(private url: string, private prefix = 'camau', private lockMs = 30_000) {
    this.redis = new Redis(url, { maxRetriesPerRequest: null });
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async add(queue: string, jobId: string, data: Record<string, unknown>, opts: AddOptions = {}): Promise<void> {
    await this.queue(queue).add(queue, data, jobOptions(jobId, opts));
  }

  async addMany(queue: string, jobs: NewJob[]): Promise<void> {
    // addBulk runs BullMQ's add script for each job in one MULTI: an id that exists is left alone, as with add.
    if (jobs.length) await this.queue(queue).addBulk(jobs.map((j) => ({ name: queue, data: j.data, opts: jobOptions(j.id, j.opts) })));
  }

  async remove(queue: string, jobId: string): Promise<void> {
    const job = await this.queue(queue).getJob(jobId);
    // An active job cannot be removed; its handler sees the cancellation in the database.
    if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
  }

  consume(queue: string, handler: Handler, opts: { concurrency?: number; onFailed?: (job: QueueJob, error: Error) => Promise<void> } = {}): void {
    // Each worker needs its own blocking connection; BullMQ does not close connections it was given.
    const connection = new Redis(this.url, { maxRetriesPerRequest: null });
    const worker = new Worker(
      queue,
      async (job) => handler({ id: job.id!, data: job.data, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 }),
      { connection, prefix: this.prefix, concurrency: opts.concurrency ?? 8, lockDuration: this.lockMs, stalledInterval: this.lockMs },
    );
    worker.on('failed', (job, error) => {
      if (job && opts.onFailed && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void opts.onFailed({ id: job.id!, data: job.data, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 }, error);
      }
    });
    // Errors of the connection are retried by ioredis; keep them from crashing the process.
    worker.on('error', () => undefined);
    this.workers.push({ worker, connection });
  }

  /** A key of this prefix that only the reconciler writes: gone after a FLUSHALL or a restart that lost the data. */
  private get marker(): string {
    return `${this.prefix}:camau:intact`;
  }

  async intact(): Promise<boolean> {
    return (await this.redis.exists(this.marker)) === 1;
  }

  async markIntact(): Promise<void> {
    await this.redis.set(this.marker, new Date().toISOString());
  }

  async pending(queue: string): Promise<number> {
    const counts = await this.queue(queue).getJobCounts('waiting', 'delayed', 'prioritized');
    return (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(async ({ worker, connection }) => {
      await worker.close();
      connection.disconnect();
    }));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}
