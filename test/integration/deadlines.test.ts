// Deadlines end to end: outbox -> relay -> queue -> timer worker -> fire-timer, service-task
// jobs through createJobWorker, and reminders and escalations sent to a real SMTP server
// started here, with BullMQ on Redis and with the embedded driver.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { insertUser } from '../../db/repositories/organisations.js';
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
import { startWorkers } from '../../workers/main.js';
import { consumeNotifications, createMailer, type Mailer } from '../../workers/notifications/index.js';
import { BpmnError, createJobWorker } from '../../workers/job-worker.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestQueues, eventually, flushPrefix, QUEUE_DRIVERS, sleep, type TestQueues } from '../helpers/queues.js';
import { ORG, seed } from '../helpers/seed.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const xml = readFileSync(new URL('../fixtures/durable/deadline.bpmn', import.meta.url), 'utf8');
/** A task for the headteacher due in 4 s, with a reminder to them 2 s before and an escalation to the LA employer 1 s after. */
const MAIL_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camau="https://camau.cymru/schema/1.0" id="deadline-mail-defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="deadline-mail" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="respond" />
    <bpmn:userTask id="respond" name="Respond to the review" camau:due="PT4S">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="headteacher" />
        <camau:reminder before="PT2S" to="headteacher" />
        <camau:escalation after="PT1S" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="respond" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
const EMPLOYER = 'employer-a@example.test';
const system = systemAccess('test');
const actor = { userId: 'tester' };

describe.each(QUEUE_DRIVERS)('deadlines with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  let q: TestQueues;
  let relay: NodeJS.Timeout | undefined;
  let relaying: Promise<void> = Promise.resolve();
  let stopped = false;
  let smtp: TestSmtp;
  let mailer: Mailer;

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    await t.db.transaction(system, (trx) => insertUser(trx, { id: 'user-employer-a', display_name: 'LA employer A', email: EMPLOYER, language: 'en' }, [{ role: 'la-employer', organisation_id: ORG.laA }]));
    rt = { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
    expect((await deployBpmn(rt, xml, 'admin')).ok).toBe(true);
    expect((await deployBpmn(rt, MAIL_XML, 'admin')).ok).toBe(true);
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: smtp.url });
  }, 60_000);
  afterAll(async () => {
    await mailer?.close();
    await smtp?.close();
    await t?.drop();
  });
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
  const start = async (definitionKey = 'deadline') => {
    const r = await startCase(rt, system, { definitionKey, schoolId: ORG.schoolA, actor });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  /** Loses every queued job, as a Redis FLUSHALL (or a lost embedded table) would. */
  const wipe = async () => {
    if (driver === 'bullmq') await flushPrefix(q.prefix);
    else await t.db.transaction(system, (trx) => trx('queue_jobs').delete());
  };
  const notifyRows = async (ids: string[], status: string) => Number((await t.db.transaction(system, (trx) => trx('outbox').whereIn('case_id', ids).andWhere({ kind: 'notify', status }).count<{ count: string }[]>('* as count')))[0].count);
  const sentRows = async (ids: string[]) => Number((await t.db.transaction(system, (trx) => trx('notifications').whereIn('case_id', ids).andWhere({ status: 'sent' }).count<{ count: string }[]>('* as count')))[0].count);
  /** One row per timer.fired event: the case, the timer, when it fired and when it was due. */
  const firedTimers = (ids: string[]) => t.db.transaction(system, (trx) => trx('case_events as e')
    .join('timers as t', (j) => j.on('t.case_id', 'e.case_id').andOn('t.timer_id', trx.raw(`e.payload->>'timerId'`)))
    .whereIn('e.case_id', ids).andWhere('e.type', 'timer.fired')
    .select('e.case_id', 't.timer_id', 'e.at', 't.due_at')) as Promise<Array<{ case_id: string; timer_id: string; at: Date; due_at: Date }>>;

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

  it('running workers notice a wiped queue store at their next look and re-add what it held', async () => {
    // A look every 200 ms, and no full pass of their own after the one at start.
    const workers = await startWorkers(rt, q.reopen(), { relayIdleMs: 25, reconcileEveryMs: 200, fullReconcileEveryMs: 3_600_000 });
    const { caseId } = await start('deadline-mail');
    try {
      // Its reminder and its escalation, both waiting in the store, which is then lost.
      await eventually(async () => (await q.queues.pending('timers')) === 2);
      await wipe();
      await eventually(async () => (await firedTimers([caseId])).length === 2, 15_000, 100);
    } finally {
      await workers.stop();
    }
    // Each fired once, not before it was due.
    const fired = await firedTimers([caseId]);
    expect(fired).toHaveLength(2);
    expect(new Set(fired.map((f) => f.timer_id)).size).toBe(2);
    for (const f of fired) expect(new Date(f.at).getTime()).toBeGreaterThanOrEqual(new Date(f.due_at).getTime());
  }, 30_000);

  it('after the queue store is wiped, twice, the reconciler restores pending timers and lost notification jobs: every timer fires once, every e-mail arrives once', async () => {
    const cases = await Promise.all(Array.from({ length: 4 }, () => start('deadline-mail')));
    const ids = cases.map((c) => c.caseId);
    // Each case: a reminder 2 s before the task's due date, and an escalation 1 s after it.
    await eventually(async () => (await q.queues.pending('timers')) === 2 * ids.length);
    await wipe();
    expect(await q.queues.pending('timers')).toBe(0);
    const restarted = q.reopen();
    try {
      expect(await reconcile(rt, restarted)).toMatchObject({ timers: 2 * ids.length });
      consumeTimers(rt, restarted);
      // The reminders fire and their notification jobs are relayed; no worker sends mail yet, and
      // the store is lost again: the jobs go, never run, and so do the escalations' delayed jobs.
      await eventually(async () => (await notifyRows(ids, 'done')) === ids.length, 10_000);
      await wipe();
      await reconcile(rt, restarted);
      consumeNotifications(rt, restarted, mailer);
      await eventually(async () => (await sentRows(ids)) === 2 * ids.length && (await firedTimers(ids)).length === 2 * ids.length, 15_000, 100);
      // Once more, with nothing lost: the reconciler finds nothing to do, and nothing is sent again.
      expect(await reconcile(rt, restarted)).toMatchObject({ timers: 0 });
      await sleep(500);
    } finally {
      await restarted.close();
    }
    // Every timer fired once (none lost, none twice), not before it was due.
    const fired = await firedTimers(ids);
    expect(fired).toHaveLength(2 * ids.length);
    expect(new Set(fired.map((f) => `${f.case_id} ${f.timer_id}`)).size).toBe(2 * ids.length);
    for (const f of fired) expect(new Date(f.at).getTime()).toBeGreaterThanOrEqual(new Date(f.due_at).getTime());
    expect(await t.db.transaction(system, (trx) => trx('tasks').whereIn('case_id', ids).andWhere({ element_id: 'respond__escalation_task' }).count<{ count: string }[]>('* as count'))).toEqual([{ count: String(ids.length) }]);
    // Every e-mail arrived once: the headteacher's reminder and the LA employer's escalation, per case.
    const got = new Map<string, number>();
    // (An earlier test's case has its notification jobs waiting too: they go out now, and are left out here.)
    for (const m of smtp.received.filter((x) => ids.includes(x.headers['x-camau-case']))) for (const r of m.rcpt) {
      const k = `${r} ${m.headers['x-camau-case']} ${m.headers['x-camau-template']}`;
      got.set(k, (got.get(k) ?? 0) + 1);
    }
    expect(got).toEqual(new Map(ids.flatMap((id) => [[`head@example.test ${id} task-reminder`, 1], [`${EMPLOYER} ${id} task-overdue-escalation`, 1]])));
  }, 40_000);
});
