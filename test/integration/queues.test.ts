// One contract for both queue drivers: BullMQ on Redis and the embedded driver on PostgreSQL.
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestQueues, eventually, QUEUE_DRIVERS, sleep, type TestQueues } from '../helpers/queues.js';

describe.each(QUEUE_DRIVERS)('queue contract: %s', (driver) => {
  let t: TestDb;
  let q: TestQueues;
  beforeAll(async () => {
    t = await createTestDb('pg');
  }, 60_000);
  afterAll(async () => t?.drop());
  beforeEach(() => {
    q = createTestQueues(driver, t.db);
  });
  afterEach(async () => q.cleanup());

  it('runs each job once, and adding the same id again does nothing', async () => {
    const seen: string[] = [];
    await q.queues.add('work', 'a', { n: 1 });
    await q.queues.add('work', 'a', { n: 2 });
    await q.queues.add('work', 'b', { n: 3 });
    q.queues.consume('work', async (job) => { seen.push(`${job.id}:${job.data.n}`); });
    await eventually(() => seen.length >= 2);
    await sleep(200);
    expect(seen.sort()).toEqual(['a:1', 'b:3']);
  });

  it('holds a delayed job until it is due, and a removed one never runs', async () => {
    const ran: Array<{ id: string; at: number }> = [];
    const start = Date.now();
    await q.queues.add('later', 'kept', {}, { delayMs: 600 });
    await q.queues.add('later', 'removed', {}, { delayMs: 600 });
    await q.queues.remove('later', 'removed');
    expect(await q.queues.pending('later')).toBe(1);
    q.queues.consume('later', async (job) => { ran.push({ id: job.id, at: Date.now() - start }); });
    await eventually(() => ran.length === 1);
    await sleep(900);
    expect(ran.map((r) => r.id)).toEqual(['kept']);
    expect(ran[0].at).toBeGreaterThanOrEqual(550);
  });

  it('retries a failing job with backoff, then reports it failed', async () => {
    const attempts: number[] = [];
    const failed: string[] = [];
    await q.queues.add('flaky', 'x', {}, { attempts: 3, backoffMs: 50 });
    q.queues.consume('flaky', async (job) => {
      attempts.push(job.attemptsMade);
      throw new Error('boom');
    }, { onFailed: async (job, e) => { failed.push(`${job.id}:${job.attemptsMade}:${e.message}`); } });
    await eventually(() => failed.length === 1);
    expect(attempts).toEqual([0, 1, 2]);
    expect(failed).toEqual(['x:3:boom']);
  });

  it('a job that succeeds on a retry is not reported failed', async () => {
    let n = 0;
    const failed: string[] = [];
    const done: number[] = [];
    await q.queues.add('second-time', 'y', {}, { attempts: 3, backoffMs: 50 });
    q.queues.consume('second-time', async () => {
      if (n++ === 0) throw new Error('first try fails');
      done.push(n);
    }, { onFailed: async (job) => { failed.push(job.id); } });
    await eventually(() => done.length === 1);
    await sleep(300);
    expect(done).toEqual([2]);
    expect(failed).toEqual([]);
  });

  it('close() lets the active job finish', async () => {
    let finished = false;
    await q.queues.add('slow', 'z', {});
    let started = false;
    q.queues.consume('slow', async () => {
      started = true;
      await sleep(400);
      finished = true;
    });
    await eventually(() => started);
    await q.queues.close();
    expect(finished).toBe(true);
  });
});
