// Real worker processes against one database (and one Redis): a timer fires exactly once with
// two workers, and a worker killed with SIGKILL mid-job has its job run again by another while
// the case moves on once.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { verifyCase } from '../../runtime/commands/history.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { eventually, flushPrefix, QUEUE_DRIVERS, redisUrl } from '../helpers/queues.js';
import { ORG, seed } from '../helpers/seed.js';

const system = systemAccess('test');
const script = new URL('../helpers/worker-process.ts', import.meta.url).pathname;

describe.each(QUEUE_DRIVERS)('worker processes with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  const prefix = `camau-test-${randomUUID().slice(0, 8)}`;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    await t.db.knex.schema.createTable('test_runs', (tb) => {
      tb.uuid('case_id');
      tb.integer('pid');
    });
    rt = { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
    expect((await deployBpmn(rt, readFileSync(new URL('../fixtures/durable/letter.bpmn', import.meta.url), 'utf8'), 'admin')).ok).toBe(true);
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (driver === 'bullmq') await flushPrefix(prefix);
    await t?.drop();
  });

  function worker(jobMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DATABASE_URL: t.ownerUrl, REDIS_URL: driver === 'bullmq' ? redisUrl() : '', CAMAU_QUEUE_PREFIX: prefix, CAMAU_JOB_LOCK_MS: '1500', CAMAU_TEST_JOB_MS: String(jobMs) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(child); });
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  }

  const count = async (caseIds: string[], type: string, el?: string) => {
    const rows = await t.db.transaction(system, (trx) => {
      const q = trx('case_events').whereIn('case_id', caseIds).andWhere({ type });
      if (el) q.andWhereRaw(`payload->>'el' = ?`, [el]);
      return q.select('case_id');
    });
    return rows.length;
  };
  const start = async () => {
    const r = await startCase(rt, system, { definitionKey: 'letter', schoolId: ORG.schoolA, actor: { userId: 'tester' } });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.caseId;
  };
  const stop = (c: ChildProcess) => new Promise<number | null>((resolve) => { c.once('exit', (code) => resolve(code)); c.kill('SIGTERM'); });

  it('two workers: every timer fires once and every job runs once', async () => {
    const [a, b] = await Promise.all([worker(0), worker(0)]);
    const ids = await Promise.all(Array.from({ length: 60 }, start));
    await eventually(async () => (await t.db.transaction(system, (trx) => trx('cases').whereIn('id', ids).andWhere({ status: 'completed' }).count<{ count: string }[]>('* as count')))[0].count === String(ids.length), 30_000, 200);
    expect(await count(ids, 'timer.fired')).toBe(ids.length);
    expect(await count(ids, 'element.completed', 'send')).toBe(ids.length);
    const runs = await t.db.knex('test_runs').whereIn('case_id', ids).select('pid');
    expect(runs).toHaveLength(ids.length);
    expect(new Set(runs.map((r) => r.pid)).size).toBe(2); // both workers took part
    expect(await Promise.all([stop(a), stop(b)])).toEqual([0, 0]);
  }, 60_000);

  it('a worker killed mid-job: another runs the job again, and the case moves on once', async () => {
    const first = await worker(5_000);
    const id = await start();
    await eventually(async () => (await t.db.knex('test_runs').where({ case_id: id })).length === 1, 15_000);
    first.kill('SIGKILL');
    const second = await worker(0);
    await eventually(async () => (await t.db.transaction(system, (trx) => trx('cases').where({ id }).first())).status === 'completed', 20_000, 100);
    expect((await t.db.knex('test_runs').where({ case_id: id })).length).toBe(2);
    expect(await count([id], 'element.completed', 'send')).toBe(1);
    expect(await count([id], 'timer.fired')).toBe(1);
    const v = await verifyCase(rt, system, id);
    expect(v.ok && v.value.ok).toBe(true);
    expect(await stop(second)).toBe(0);
  }, 60_000);
});
