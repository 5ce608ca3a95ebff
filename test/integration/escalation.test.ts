// Escalation after a deadline, end to end on PostgreSQL with BullMQ on Redis and with the
// embedded driver: a user task's due date passes, the escalation (camau:escalation, a
// non-interrupting boundary timer) fires through the relay and the timer worker, a task opens
// for the LA acting as employer (role la-employer at the case's LA), and that LA's employer is
// told by e-mail (a real SMTP server started here) in their language, once.
//
// The models (workflows/bpmn) name role="la-employer" on every escalation, and the engine's
// default role is the same, whatever the school's category: a case at a voluntary-aided
// school, whose governing body employs its staff, is escalated to the LA all the same. The
// second case pins that down, and that the governing body is not sent the escalation instead.
import { randomUUID } from 'node:crypto';
import { systemAccess } from '../../db/access.js';
import { insertUser } from '../../db/repositories/organisations.js';
import { systemClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { drainOutbox } from '../../workers/relay.js';
import { consumeTimers } from '../../workers/timers.js';
import { consumeNotifications, createMailer, formatDate, type Mailer } from '../../workers/notifications/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestQueues, eventually, QUEUE_DRIVERS, sleep, type TestQueues } from '../helpers/queues.js';
import { ORG, seed } from '../helpers/seed.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const system = systemAccess('test');
const actor = { userId: 'tester' };

const EMPLOYER_A = { id: 'user-la-employer-a', email: 'employer-a@example.test' }; // Carmarthenshire, reads Welsh
const EMPLOYER_B = { id: 'user-la-employer-b', email: 'employer-b@example.test' }; // Swansea
const CHAIR_VA = { id: 'user-chair-st-teilo', email: 'chair@st-teilo.example.test' }; // chair of governors, voluntary-aided school

const TASK_CY = 'Paratoi cynllun gweithredu';
const TASK_EN = 'Prepare an action plan';

/** A user task for the headteacher, due in 2 s, escalated 1 s after that (the default role: la-employer). */
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camau="https://camau.cymru/schema/1.0" id="escalate-defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="escalate-test" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="plan" />
    <bpmn:userTask id="plan" name="${TASK_EN}" camau:due="PT2S">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="headteacher" />
        <camau:name lang="cy">${TASK_CY}</camau:name>
        <camau:name lang="en">${TASK_EN}</camau:name>
        <camau:escalation after="PT1S" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="plan" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(QUEUE_DRIVERS)('escalation with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let q: TestQueues;
  let relay: NodeJS.Timeout | undefined;
  let relaying: Promise<void> = Promise.resolve();
  let stopped = false;

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    await t.db.transaction(system, async (trx) => {
      await insertUser(trx, { id: EMPLOYER_A.id, display_name: 'LA employer, Carmarthenshire', email: EMPLOYER_A.email, language: 'cy' }, [{ role: 'la-employer', organisation_id: ORG.laA }]);
      await insertUser(trx, { id: EMPLOYER_B.id, display_name: 'LA employer, Swansea', email: EMPLOYER_B.email, language: 'en' }, [{ role: 'la-employer', organisation_id: ORG.laB }]);
      await insertUser(trx, { id: CHAIR_VA.id, display_name: "Chair of governors, St Teilo's", email: CHAIR_VA.email, language: 'en' }, [{ role: 'chair-of-governors', organisation_id: ORG.schoolA2 }]);
    });
    rt = { db: t.db, clock: systemClock, definitions: new DefinitionCache(), newId: randomUUID };
    const deployed = await deployBpmn(rt, MODEL, 'admin');
    if (!deployed.ok) throw new Error(deployed.error.message);
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
    smtp.received.length = 0;
    stopped = false;
    const loop = () => {
      relaying = drainOutbox(rt, q.queues).catch(() => undefined).then(() => {
        if (!stopped) relay = setTimeout(loop, 25);
      });
    };
    loop();
    consumeTimers(rt, q.queues);
    consumeNotifications(rt, q.queues, mailer, { baseUrl: 'https://camau.example' });
  });
  afterEach(async () => {
    stopped = true;
    clearTimeout(relay);
    await relaying;
    await q.cleanup();
  });

  const start = async (schoolId: string) => {
    const r = await startCase(rt, system, { definitionKey: 'escalate-test', schoolId, actor });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.caseId;
  };
  const tasks = (caseId: string) => t.db.transaction(system, (trx) => trx('tasks').where({ case_id: caseId }).orderBy('created_at').select());
  const caseRow = (caseId: string) => t.db.transaction(system, (trx) => trx('cases').where({ id: caseId }).first());
  const events = (caseId: string) => t.db.transaction(system, (trx) => trx('case_events').where({ case_id: caseId }).orderBy('seq').select('type', 'payload'));
  const sent = (caseId: string) => t.db.transaction(system, (trx) => trx('notifications').where({ case_id: caseId }).select('recipient', 'status', 'template', 'email', 'language'));

  /** Waits for the escalation of `caseId` to open its task and for its e-mail to be recorded sent. */
  const escalated = async (caseId: string) => {
    await eventually(async () => (await tasks(caseId)).some((x) => x.element_id === 'plan__escalation_task') && (await sent(caseId)).some((n) => n.status === 'sent'), 15_000, 100);
    await sleep(300); // anything sent twice would arrive now
  };

  for (const school of [
    { name: 'a community school: the LA employs', id: ORG.schoolA, employer: 'la' },
    { name: 'a voluntary-aided school: the governing body employs, the LA still receives the escalation', id: ORG.schoolA2, employer: 'governing-body' },
  ]) {
    it(`after the deadline, a task opens for the LA as employer and it is told once, in its language (${school.name})`, async () => {
      const caseId = await start(school.id);
      const c = await caseRow(caseId);
      expect(c).toMatchObject({ tenant_id: ORG.laA, school_id: school.id, employer: school.employer });
      await escalated(caseId);

      // The original task stays open (the boundary event does not interrupt it); the escalation task is the LA employer's.
      const [original, escalation] = await tasks(caseId);
      expect(original).toMatchObject({ element_id: 'plan', status: 'open', candidate_groups: ['headteacher'] });
      expect(escalation).toMatchObject({ element_id: 'plan__escalation_task', status: 'open', candidate_groups: ['la-employer'], names: { cy: `Wedi'i uwchgyfeirio: ${TASK_CY}`, en: `Escalated: ${TASK_EN}` } });
      expect(new Date(escalation.created_at).getTime()).toBeGreaterThanOrEqual(new Date(original.due_at).getTime() + 1000);
      // Who holds that role for this case: the employer of the case's own LA, no one else.
      const holders = await t.db.transaction(system, (trx) => trx('role_assignments').whereIn('role', escalation.candidate_groups).andWhere({ organisation_id: c.tenant_id }).pluck('user_id'));
      expect(holders).toEqual([EMPLOYER_A.id]);

      // History: a non-interrupting boundary timer fired, then the notification and the task.
      const history = await events(caseId);
      const fired = history.filter((e) => e.type === 'timer.fired');
      expect(fired).toHaveLength(1);
      const activated = history.filter((e) => e.type === 'element.activated').map((e) => e.payload.el);
      expect(activated).toEqual(['start', 'plan', 'plan__escalation', 'plan__escalation_notify', 'plan__escalation_task']);
      expect(history.some((e) => e.type === 'element.terminated')).toBe(false);

      // One e-mail, in Welsh, to Carmarthenshire's employer; none to Swansea's, none to the governing body.
      expect(await sent(caseId)).toEqual([{ recipient: `user:${EMPLOYER_A.id}`, status: 'sent', template: 'task-overdue-escalation', email: EMPLOYER_A.email, language: 'cy' }]);
      expect(smtp.to(EMPLOYER_A.email)).toHaveLength(1);
      expect(smtp.to(EMPLOYER_B.email)).toHaveLength(0);
      expect(smtp.to(CHAIR_VA.email)).toHaveLength(0);
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.to(EMPLOYER_A.email);
      expect(mail.subject).toBe(`Tasg hwyr wedi'i huwchgyfeirio: ${TASK_CY}`);
      expect(mail.text).toContain(`Dyddiad cau: ${formatDate(new Date(original.due_at), 'cy')}`);
      expect(mail.text).toContain(`https://camau.example/cases/${caseId}`);
      expect(mail.text).not.toMatch(/Overdue|Due date/);

      // The LA employer completes the escalation task; the headteacher's task goes on.
      expect((await completeTask(rt, system, caseId, escalation.eid, {}, { actor })).ok).toBe(true);
      expect((await caseRow(caseId)).status).toBe('active');
      expect((await completeTask(rt, system, caseId, original.eid, {}, { actor })).ok).toBe(true);
      expect((await caseRow(caseId)).status).toBe('completed');
    }, 30_000);
  }

  it('a task done before its deadline is not escalated', async () => {
    const caseId = await start(ORG.schoolA);
    const [task] = await tasks(caseId);
    expect((await completeTask(rt, system, caseId, task.eid, {}, { actor })).ok).toBe(true);
    await sleep(3_500); // past the due date and the escalation period
    expect((await tasks(caseId)).map((x) => x.element_id)).toEqual(['plan']);
    expect(await t.db.transaction(system, (trx) => trx('timers').where({ case_id: caseId }).pluck('status'))).toEqual(['cancelled']);
    expect(await sent(caseId)).toEqual([]);
    expect(smtp.received).toHaveLength(0);
  }, 20_000);
});
