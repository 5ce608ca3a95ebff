// The embedded driver: the same queues, with jobs kept in the database (table queue_jobs), run
// by a polling loop in this process. Used when there is no REDIS_URL. A job whose worker died
// mid-run is taken again when its lock expires, as BullMQ does with stalled jobs.
import { systemAccess } from '../../db/access.js';
import type { Knex } from 'knex';
import type { Database } from '../../db/connection.js';
import type { AddOptions, Handler, NewJob, Queues, QueueJob } from './types.js';

interface Consumer {
  queue: string;
  handler: Handler;
  concurrency: number;
  onFailed?: (job: QueueJob, error: Error) => Promise<void>;
  active: number;
}

const access = systemAccess('embedded queue');

export class EmbeddedQueues implements Queues {
  readonly kind = 'embedded' as const;
  private consumers: Consumer[] = [];
  private running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** The poll under way, if any: close() waits for it, so no job is claimed after close. */
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(private db: Database, private opts: { pollMs?: number; lockMs?: number; now?: () => number } = {}) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  async add(queue: string, jobId: string, data: Record<string, unknown>, opts: AddOptions = {}, trx?: Knex): Promise<void> {
    await this.addMany(queue, [{ id: jobId, data, opts }], trx);
  }

  async addMany(queue: string, jobs: NewJob[], trx?: Knex): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.now();
    const rows = jobs.map(({ id, data, opts = {} }) => ({
      queue, id, data: JSON.stringify(data), run_at: new Date(now + Math.max(0, opts.delayMs ?? 0)).toISOString(),
      max_attempts: opts.attempts ?? 1, backoff_ms: opts.backoffMs ?? 1000,
    }));
    const insert = (k: Knex) => k('queue_jobs').insert(rows).onConflict(['queue', 'id']).ignore();
    if (trx) await insert(trx);
    else await this.db.transaction(access, (t) => insert(t));
  }

  async remove(queue: string, jobId: string, trx?: Knex): Promise<void> {
    const del = (k: Knex) => k('queue_jobs').where({ queue, id: jobId, status: 'waiting' }).delete();
    if (trx) await del(trx);
    else await this.db.transaction(access, (t) => del(t));
  }

  consume(queue: string, handler: Handler, opts: { concurrency?: number; onFailed?: (job: QueueJob, error: Error) => Promise<void> } = {}): void {
    this.consumers.push({ queue, handler, concurrency: opts.concurrency ?? 8, onFailed: opts.onFailed, active: 0 });
    if (!this.timer) this.schedule(0);
  }

  /**
   * No marker: the reconciler re-adds everything on each of its passes, which here is one insert
   * that skips the rows already there (a table emptied by hand is noticed within a minute).
   */
  async intact(): Promise<boolean> {
    return false;
  }

  async markIntact(): Promise<void> {}

  async pending(queue: string): Promise<number> {
    const [row] = await this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue }).whereNot('status', 'failed').count<{ count: string }[]>('* as count'));
    return Number(row.count);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll().finally(() => { this.polling = undefined; });
    }, ms);
  }

  /** Claims due jobs for every consumer with free slots, runs them, and polls again. */
  private async poll(): Promise<void> {
    let claimed = 0;
    try {
      for (const c of this.consumers) {
        const free = c.concurrency - c.active;
        if (free <= 0 || this.closed) continue;
        const jobs = await this.claim(c.queue, free);
        claimed += jobs.length;
        for (const job of jobs) this.run(c, job);
      }
    } catch {
      // The database may be briefly unavailable; try again on the next poll.
    }
    if (!this.timer) this.schedule(claimed > 0 ? 0 : this.opts.pollMs ?? 50);
  }

  private async claim(queue: string, limit: number): Promise<QueueJob[]> {
    const now = new Date(this.now()).toISOString();
    const lockedUntil = new Date(this.now() + (this.opts.lockMs ?? 30_000)).toISOString();
    return this.db.transaction(access, async (trx) => {
      const rows = await trx('queue_jobs')
        .where({ queue })
        .andWhere('run_at', '<=', now)
        .andWhere((q) => q.where('status', 'waiting').orWhere((q2) => q2.where('status', 'active').andWhere('locked_until', '<', now)))
        .orderBy('run_at').limit(limit).forUpdate().skipLocked();
      if (rows.length === 0) return [];
      await trx('queue_jobs').where({ queue }).whereIn('id', rows.map((r) => r.id)).update({ status: 'active', locked_until: lockedUntil });
      return rows.map((r) => ({ id: r.id, data: r.data, attemptsMade: r.attempts, attempts: r.max_attempts }));
    });
  }

  private run(c: Consumer, job: QueueJob): void {
    c.active++;
    // Renew the lock while the handler runs, so only a dead worker's job is taken again.
    const lockMs = this.opts.lockMs ?? 30_000;
    const renew = setInterval(() => {
      void this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue: c.queue, id: job.id, status: 'active' }).update({ locked_until: new Date(this.now() + lockMs).toISOString() })).catch(() => undefined);
    }, Math.max(50, lockMs / 3));
    const p = (async () => {
      try {
        await c.handler(job);
        await this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue: c.queue, id: job.id }).delete());
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        const attemptsMade = job.attemptsMade + 1;
        if (attemptsMade >= job.attempts) {
          await this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue: c.queue, id: job.id }).update({ status: 'failed', attempts: attemptsMade, last_error: error.message }));
          await c.onFailed?.({ ...job, attemptsMade }, error);
        } else {
          const row = await this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue: c.queue, id: job.id }).first('backoff_ms'));
          const delay = Number(row?.backoff_ms ?? 1000) * 2 ** (attemptsMade - 1);
          await this.db.transaction(access, (trx) => trx('queue_jobs').where({ queue: c.queue, id: job.id }).update({ status: 'waiting', attempts: attemptsMade, run_at: new Date(this.now() + delay).toISOString(), last_error: error.message }));
        }
      } finally {
        clearInterval(renew);
        c.active--;
      }
    })().catch(() => undefined);
    this.running.add(p);
    void p.finally(() => {
      this.running.delete(p);
      // A freed slot is worth a poll now, unless one is already due or under way.
      if (!this.closed && !this.timer && !this.polling) this.schedule(0);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    await Promise.all(this.running);
  }
}
