// Real worker processes against one database (and one Redis), sending notifications to a real
// SMTP server started here: a timer fires exactly once with two workers, and a worker killed
// with SIGKILL mid-job has its job run again by another while the case moves on once; in both,
// every expected e-mail arrives exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { insertUser } from '../../db/repositories/organisations.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { verifyCase } from '../../runtime/commands/history.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { eventually, flushPrefix, QUEUE_DRIVERS, redisUrl, sleep } from '../helpers/queues.js';
import { ORG, seed } from '../helpers/seed.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const system = systemAccess('test');
const script = new URL('../helpers/worker-process.ts', import.meta.url).pathname;

const HEAD = 'head@example.test'; // the headteacher of school A (seed)
const EMPLOYER = 'employer-a@example.test';

/**
 * start → timer (1 s) → tell the headteacher (camau:notify) → send the letter (a service task
 * the worker process runs) → end, telling the LA as employer (camau:notify).
 */
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camau="https://camau.cymru/schema/1.0" id="letter-defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="letter" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="tell-head" />
    <bpmn:intermediateThrowEvent id="tell-head">
      <bpmn:extensionElements><camau:notify template="intervention-monitoring-report" to="headteacher" /></bpmn:extensionElements>
    </bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="tell-head" targetRef="send" />
    <bpmn:serviceTask id="send" name="Send the letter">
      <bpmn:extensionElements><zeebe:taskDefinition type="send-letter" retries="3" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f4" sourceRef="send" targetRef="end" />
    <bpmn:endEvent id="end">
      <bpmn:extensionElements><camau:notify template="intervention-monitoring-report" to="la-employer" /></bpmn:extensionElements>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe.each(QUEUE_DRIVERS)('worker processes with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  const prefix = `camau-test-${randomUUID().slice(0, 8)}`;
  const children = new Set<ChildProcess>();
  let smtp: TestSmtp;

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    await t.db.knex.schema.createTable('test_runs', (tb) => {
      tb.uuid('case_id');
      tb.integer('pid');
    });
    await t.db.transaction(system, (trx) => insertUser(trx, { id: 'user-employer-a', display_name: 'LA employer A', email: EMPLOYER, language: 'cy' }, [{ role: 'la-employer', organisation_id: ORG.laA }]));
    rt = { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
    const deployed = await deployBpmn(rt, MODEL, 'admin');
    if (!deployed.ok) throw new Error(deployed.error.message);
    smtp = await startSmtp();
  }, 60_000);
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (driver === 'bullmq') await flushPrefix(prefix);
    await smtp?.close();
    await t?.drop();
  });

  function worker(jobMs: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DATABASE_URL: t.ownerUrl, REDIS_URL: driver === 'bullmq' ? redisUrl() : '', CAMAU_QUEUE_PREFIX: prefix, CAMAU_JOB_LOCK_MS: '1500', CAMAU_TEST_JOB_MS: String(jobMs), SMTP_URL: smtp.url },
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
  /** The e-mails the SMTP server accepted about these cases, by recipient, case and template. */
  const mails = (caseIds: string[]) => {
    const counts = new Map<string, number>();
    for (const m of smtp.received) {
      if (!caseIds.includes(m.headers['x-camau-case'])) continue;
      for (const r of m.rcpt) {
        const k = `${r} ${m.headers['x-camau-case']} ${m.headers['x-camau-template']}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    return counts;
  };
  /** Every case's two e-mails (the headteacher's after the timer, the employer's at the end), each exactly once. */
  const expectEachMailOnce = (caseIds: string[]) => {
    const expected = new Map(caseIds.flatMap((id) => [HEAD, EMPLOYER].map((to) => [`${to} ${id} intervention-monitoring-report`, 1] as const)));
    expect(mails(caseIds)).toEqual(expected);
  };
  const sentRows = (caseIds: string[]) => t.db.transaction(system, (trx) => trx('notifications').whereIn('case_id', caseIds).andWhere({ status: 'sent' }).select('case_id', 'email'));
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
    await eventually(async () => (await sentRows(ids)).length === 2 * ids.length, 15_000, 100);
    expect(await Promise.all([stop(a), stop(b)])).toEqual([0, 0]);
    expectEachMailOnce(ids);
  }, 60_000);

  it('a worker killed mid-job: another runs the job again, and the case moves on once', async () => {
    const first = await worker(5_000);
    const id = await start();
    // Killed once its timer fired, its e-mail went out and its job is under way.
    await eventually(async () => (await t.db.knex('test_runs').where({ case_id: id })).length === 1 && (await sentRows([id])).length === 1, 15_000);
    first.kill('SIGKILL');
    const second = await worker(0);
    await eventually(async () => (await t.db.transaction(system, (trx) => trx('cases').where({ id }).first())).status === 'completed', 20_000, 100);
    expect((await t.db.knex('test_runs').where({ case_id: id })).length).toBe(2);
    expect(await count([id], 'element.completed', 'send')).toBe(1);
    expect(await count([id], 'timer.fired')).toBe(1);
    const v = await verifyCase(rt, system, id);
    expect(v.ok && v.value.ok).toBe(true);
    await eventually(async () => (await sentRows([id])).length === 2, 10_000);
    // The second worker's reconciler looked at the notifications at start: none went out again.
    await sleep(500);
    expect(await stop(second)).toBe(0);
    expectEachMailOnce([id]);
  }, 60_000);
});
