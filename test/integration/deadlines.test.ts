// Deadlines end to end: outbox -> relay -> queue -> timer worker -> fire-timer, and service-task
// jobs through createJobWorker, with BullMQ on Redis and with the embedded driver.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { drainOutbox } from '../../workers/relay.js';
import { consumeTimers } from '../../workers/timers.js';
import { reconcile } from '../../workers/reconciler.js';
import { BpmnError, createJobWorker } from '../../workers/job-worker.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestQueues, eventually, flushPrefix, QUEUE_DRIVERS, sleep, type TestQueues } from '../helpers/queues.js';
import { ORG, seed } from '../helpers/seed.js';

const xml = readFileSync(new URL('../fixtures/durable/deadline.bpmn', import.meta.url), 'utf8');
const system = systemAccess('test');
const actor = { userId: 'tester' };

describe.each(QUEUE_DRIVERS)('deadlines with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  let q: TestQueues;
  let relay: NodeJS.Timeout | undefined;
  let relaying: Promise<void> = Promise.resolve();
  let stopped = false;

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    rt = { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
    expect((await deployBpmn(rt, xml, 'admin')).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());
  beforeEach(() => {
    q = createTestQueues(driver, t.db);
    stopped = false;
    const loop = () => {
      relaying = drainOutbox(rt, q.queues).catch(() => undefined).then(() => {
        if (!stopped) relay = setTimeout(loop, 25);
      });
    };
    loop();
  });
  afterEach(async () => {
    stopped = true;
    clearTimeout(relay);
    await relaying;
    await q.cleanup();
  });

  const caseRow = (id: string) => t.db.transaction(system, (trx) => trx('cases').where({ id }).first());
  const start = async () => {
    const r = await startCase(rt, system, { definitionKey: 'deadline', schoolId: ORG.schoolA, actor });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('fires a due timer once; the boundary path then runs its service task', async () => {
    const letters: string[] = [];
    consumeTimers(rt, q.queues);
    createJobWorker({ rt, queues: q.queues }, 'send-letter', async (job) => {
      letters.push(job.caseId);
      return { letterSent: true };
    });
    const c = await start();
    await eventually(async () => (await caseRow(c.caseId)).status === 'completed', 10_000);
    const row = await caseRow(c.caseId);
    expect(row.snapshot.done).toMatchObject({ late: 1, letter: 1, escalated: 1 });
    expect(row.snapshot.vars.letterSent).toBe(true);
    expect(letters).toEqual([c.caseId]);
    const timers = await t.db.transaction(system, (trx) => trx('timers').where({ case_id: c.caseId }).pluck('status'));
    expect(timers).toEqual(['fired']);
  });

  it('completing the task cancels its timer', async () => {
    consumeTimers(rt, q.queues);
    const c = await start();
    const eid = Object.values(c.state.elements).find((e) => e.el === 'respond')!.id;
    expect((await completeTask(rt, system, c.caseId, eid, {}, { actor })).ok).toBe(true);
    await sleep(1800);
    const row = await caseRow(c.caseId);
    expect(row.status).toBe('completed');
    expect(row.snapshot.done.late).toBeUndefined();
    expect(await t.db.transaction(system, (trx) => trx('timers').where({ case_id: c.caseId }).pluck('status'))).toEqual(['cancelled']);
    expect(await q.queues.pending('timers')).toBe(0);
  });

  it('a BPMN error from a worker is caught by the model; a job that keeps failing becomes an incident, and resolving it retries', async () => {
    consumeTimers(rt, q.queues);
    let mode: 'error' | 'crash' | 'ok' = 'error';
    let runs = 0;
    createJobWorker({ rt, queues: q.queues }, 'send-letter', async () => {
      runs++;
      if (mode === 'error') throw new BpmnError('NO_ADDRESS');
      if (mode === 'crash') throw new Error('printer on fire');
      return {};
    });
    const caught = await start();
    await eventually(async () => (await caseRow(caught.caseId)).status === 'completed', 10_000);
    expect((await caseRow(caught.caseId)).snapshot.done).toMatchObject({ refused: 1, 'no-letter': 1 });

    mode = 'crash';
    runs = 0;
    const failing = await start();
    await eventually(async () => Object.keys((await caseRow(failing.caseId)).snapshot.incidents).length === 1, 15_000);
    expect(runs).toBe(2); // retries="2" in the model
    const incident = await t.db.transaction(system, (trx) => trx('incidents').where({ case_id: failing.caseId }).first());
    expect(incident).toMatchObject({ code: 'job-failed', element_id: 'letter', status: 'open' });
    expect(incident.message).toMatch(/printer on fire/);

    mode = 'ok';
    expect((await resolveIncident(rt, system, failing.caseId, incident.incident_id, { actor })).ok).toBe(true);
    await eventually(async () => (await caseRow(failing.caseId)).status === 'completed', 10_000);
  }, 40_000);

  it('after the queue store is wiped, the reconciler restores pending timers and they fire on time', async () => {
    const c = await start();
    await eventually(async () => (await q.queues.pending('timers')) === 1);
    // Lose every queued job, as a Redis FLUSHALL (or a lost embedded table) would.
    if (driver === 'bullmq') await flushPrefix(q.prefix);
    else await t.db.transaction(system, (trx) => trx('queue_jobs').delete());
    expect(await q.queues.pending('timers')).toBe(0);
    const restarted = q.reopen();
    try {
      expect(await reconcile(rt, restarted)).toMatchObject({ timers: 1 });
      consumeTimers(rt, restarted);
      createJobWorker({ rt, queues: restarted }, 'send-letter', async () => ({}));
      const due = Date.parse(Object.values(c.state.timers)[0].dueAt);
      await eventually(async () => (await caseRow(c.caseId)).snapshot.done.late === 1, 10_000);
      expect(Date.now() - due).toBeLessThan(5_000);
    } finally {
      await restarted.close();
    }
  }, 30_000);
});
