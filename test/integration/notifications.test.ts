// Notifications end to end, with BullMQ on Redis and with the embedded driver: a `notify`
// outbox row goes through the relay to the notification worker, which sends by SMTP to a real
// SMTP server started here (smtp-server on a loopback port). Each recipient gets exactly one
// message in their language; a retried job does not send twice; a role that reaches nobody is
// recorded as a failed notification with its reason.
import { randomUUID } from 'node:crypto';
import { startSmtp } from '../helpers/smtp.js';
import { systemAccess } from '../../db/access.js';
import { insertPeople, insertUser } from '../../db/repositories/organisations.js';
import { ManualClock } from '../../runtime/clock.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import type { Runtime } from '../../runtime/runtime.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { drainOutbox, NOTIFICATIONS } from '../../workers/relay.js';
import { consumeNotifications, deliverNotification, messageIdFor, notificationJobId, requeueUnfinishedNotifications, type NotifyEffect } from '../../workers/notifications/consumer.js';
import { createMailer, type Mailer, type OutgoingMail } from '../../workers/notifications/mailer.js';
import { resolveRecipients } from '../../workers/notifications/recipients.js';
import { formatDate } from '../../workers/notifications/render.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestQueues, eventually, QUEUE_DRIVERS, sleep, type TestQueues } from '../helpers/queues.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';

const system = systemAccess('test');
const actor = { userId: 'tester' };

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camau="https://camau.cymru/schema/1.0" id="notify-defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="notify-test" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="discuss" />
    <bpmn:userTask id="discuss" name="Discuss the plan with the headteacher">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="headteacher" />
        <zeebe:taskSchedule dueDate="P10D" />
        <camau:name lang="cy">Trafod y cynllun â'r pennaeth</camau:name>
        <camau:name lang="en">Discuss the plan with the headteacher</camau:name>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="discuss" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const TASK_CY = "Trafod y cynllun â'r pennaeth";
const TASK_EN = 'Discuss the plan with the headteacher';
const GOV_EN = 'person-gov-en';
const GOV_NONE = 'person-gov-no-email';

/** A mailer that fails, for now, the sends `fail` picks (a 421 from the server). */
function flaky(inner: Mailer, fail: (mail: OutgoingMail, attempt: number) => boolean): Mailer & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    kind: inner.kind,
    calls,
    async send(mail) {
      const n = (calls.get(mail.to.address) ?? 0) + 1;
      calls.set(mail.to.address, n);
      if (fail(mail, n)) throw Object.assign(new Error('421 4.3.2 Service not available, try again later'), { responseCode: 421, command: 'DATA', permanent: false });
      return inner.send(mail);
    },
    close: async () => undefined,
  };
}

// ---------------------------------------------------------------------------------------------

describe.each(QUEUE_DRIVERS)('notifications with %s', (driver) => {
  let t: TestDb;
  let rt: Runtime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;
  let q: TestQueues;

  beforeAll(async () => {
    t = await createTestDb('pg');
    await seed(t.db);
    await t.db.transaction(system, async (trx) => {
      await insertPeople(trx, [
        { id: GOV_EN, la_id: ORG.laA, organisation_id: ORG.schoolA, kind: 'governor', name: 'Governor English', email: 'gov-en@example.test', language: 'en' },
        { id: GOV_NONE, la_id: ORG.laA, organisation_id: ORG.schoolA, kind: 'governor', name: 'Governor Without Email', language: 'cy' },
      ]);
      // The adviser has an address: what keeps them out of a staff case is the missing grant.
      await insertUser(trx, { id: USERS.adviser, display_name: 'Challenge adviser', email: 'adviser@example.test' }, []);
    });
    rt = { db: t.db, clock: new ManualClock('2026-10-16T08:30:00.000Z'), definitions: new DefinitionCache(), newId: randomUUID };
    const deployed = await deployBpmn(rt, MODEL, 'admin');
    if (!deployed.ok) throw new Error(deployed.error.message);
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: smtp.url, from: 'Camau <camau@example.test>' });
  }, 60_000);

  afterAll(async () => {
    await mailer?.close();
    await smtp?.close();
    await t?.drop();
  });

  beforeEach(() => {
    q = createTestQueues(driver, t.db);
    smtp.received.length = 0;
  });
  afterEach(async () => q.cleanup());

  const startStaffCase = async () => {
    const r = await startCase(rt, system, { definitionKey: 'notify-test', subjectPersonId: PEOPLE.teacherA, actor });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.caseId;
  };
  const reminder = (toRoles: string[]): NotifyEffect => ({ type: 'notify', template: 'task-reminder', toRoles, data: { task: 'discuss', taskName: TASK_EN } });
  const addOutbox = (caseId: string, effect: NotifyEffect, status: 'pending' | 'done' = 'pending') =>
    t.db.transaction(system, async (trx) => {
      const [row] = await trx('outbox').insert({ case_id: caseId, kind: 'notify', payload: JSON.stringify(effect), available_at: rt.clock.now(), status }).returning('id');
      return String(row.id);
    });
  const rows = (outboxId: string) => t.db.transaction(system, (trx) => trx('notifications').where({ outbox_id: outboxId }).orderBy('recipient').select());
  const dueOf = async (caseId: string) => (await t.db.transaction(system, (trx) => trx('tasks').where({ case_id: caseId, element_id: 'discuss' }).first('due_at'))).due_at as Date;
  const to = (address: string) => smtp.received.filter((m) => m.rcpt.includes(address));

  it('each recipient gets exactly one message, in their language; roles that reach nobody are recorded as failed', async () => {
    const caseId = await startStaffCase();
    const due = await dueOf(caseId);
    const outboxId = await addOutbox(caseId, reminder(['staff-member', 'governors', 'headteacher', 'challenge-adviser', 'wizard']));
    consumeNotifications(rt, q.queues, mailer, { baseUrl: 'https://camau.example' });
    await drainOutbox(rt, q.queues);

    await eventually(async () => (await rows(outboxId)).every((r) => r.status !== 'sending') && smtp.received.length >= 3, 10_000);
    expect(smtp.received).toHaveLength(3);

    // The staff member reads Welsh: Welsh only.
    const [cy] = to('a@example.test');
    expect(to('a@example.test')).toHaveLength(1);
    expect(cy.subject).toBe(`Nodyn atgoffa: ${TASK_CY}`);
    expect(cy.text).toContain(`Tasg: ${TASK_CY}`);
    expect(cy.text).toContain(`Dyddiad cau: ${formatDate(due, 'cy')}`);
    expect(cy.text).toContain(`https://camau.example/cases/${caseId}`);
    expect(cy.text).not.toMatch(/Reminder|Due date|headteacher|January|February|March|April|May|June|July|August|September|October|November|December/);
    expect(cy.headers['content-language']).toBe('cy');
    expect(cy.headers['message-id']).toBe(messageIdFor(outboxId, `person:${PEOPLE.teacherA}`));

    // A governor who reads English: English only.
    const [en] = to('gov-en@example.test');
    expect(to('gov-en@example.test')).toHaveLength(1);
    expect(en.subject).toBe(`Reminder: ${TASK_EN}`);
    expect(en.text).toContain(`Due date: ${formatDate(due, 'en')}`);
    expect(en.text).not.toMatch(/Nodyn|Dyddiad|Tasg|pennaeth|Ionawr|Chwefror|Ebrill|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr/);
    expect(en.headers['content-language']).toBe('en');

    // The headteacher chose both: one bilingual message, Welsh first, the same date in each half.
    const [both] = to('head@example.test');
    expect(to('head@example.test')).toHaveLength(1);
    expect(both.subject).toBe(`Nodyn atgoffa: ${TASK_CY} / Reminder: ${TASK_EN}`);
    const welsh = both.text.indexOf(`Dyddiad cau: ${formatDate(due, 'cy')}`);
    const english = both.text.indexOf(`Due date: ${formatDate(due, 'en')}`);
    expect(welsh).toBeGreaterThan(0);
    expect(english).toBeGreaterThan(welsh);
    expect(both.headers['content-language']).toBe('cy, en');

    const recorded = await rows(outboxId);
    expect(recorded.map((r) => [r.recipient, r.status])).toEqual([
      [`person:${GOV_EN}`, 'sent'],
      [`person:${GOV_NONE}`, 'failed'],
      [`person:${PEOPLE.headA}`, 'sent'],
      [`person:${PEOPLE.teacherA}`, 'sent'],
      ['role:challenge-adviser', 'failed'],
      ['role:wizard', 'failed'],
    ]);
    const by = Object.fromEntries(recorded.map((r) => [r.recipient, r]));
    expect(by[`person:${PEOPLE.teacherA}`]).toMatchObject({ language: 'cy', email: 'a@example.test', message_id: messageIdFor(outboxId, `person:${PEOPLE.teacherA}`), case_id: caseId, template: 'task-reminder' });
    expect(by[`person:${PEOPLE.headA}`]).toMatchObject({ language: 'both', subject: `Nodyn atgoffa: ${TASK_CY} / Reminder: ${TASK_EN}` });
    expect(by[`person:${GOV_NONE}`].error).toMatch(/has no e-mail address/);
    expect(by['role:challenge-adviser'].error).toMatch(/no grant for this staff case/);
    expect(by['role:wizard'].error).toMatch(/unknown role "wizard"/);
    for (const r of recorded.filter((x) => x.status === 'sent')) expect(r.sent_at).not.toBeNull();

    // The same job again (redelivered, or re-added by a reconciler): nothing is sent twice.
    const again = await deliverNotification(rt, mailer, { outboxId, caseId, effect: reminder(['staff-member', 'governors', 'headteacher', 'challenge-adviser', 'wizard']) });
    expect(again.sent).toEqual([]);
    expect(again.failed).toEqual([]);
    expect(again.skipped.sort()).toEqual(recorded.map((r) => r.recipient).sort());
    await q.queues.add(NOTIFICATIONS, notificationJobId(outboxId), { outboxId, caseId, effect: reminder(['staff-member', 'governors', 'headteacher']) });
    await eventually(async () => (await q.queues.pending(NOTIFICATIONS)) === 0);
    await sleep(300);
    expect(smtp.received).toHaveLength(3);
  }, 20_000);

  it('a job retried after a failure sends only what was not sent yet', async () => {
    const caseId = await startStaffCase();
    const outboxId = await addOutbox(caseId, reminder(['staff-member', 'governors', 'headteacher']), 'done');
    // The server turns the English governor away the first time only: the job fails after the
    // others were sent, and its retry sends that one message.
    const m = flaky(mailer, (mail, n) => mail.to.address === 'gov-en@example.test' && n === 1);
    consumeNotifications(rt, q.queues, m);
    await q.queues.add(NOTIFICATIONS, notificationJobId(outboxId), { outboxId, caseId, effect: reminder(['staff-member', 'governors', 'headteacher']) }, { attempts: 3, backoffMs: 100 });

    await eventually(async () => (await rows(outboxId)).filter((r) => r.status === 'sent').length === 3, 10_000);
    await sleep(300);
    expect(m.calls.get('gov-en@example.test')).toBe(2);
    expect(m.calls.get('a@example.test')).toBe(1);
    expect(m.calls.get('head@example.test')).toBe(1);
    for (const address of ['a@example.test', 'gov-en@example.test', 'head@example.test']) expect(to(address)).toHaveLength(1);
    expect(smtp.received).toHaveLength(3);
    expect(new Set(smtp.received.map((r) => r.headers['message-id'])).size).toBe(3);
  }, 20_000);

  it('a notification job lost with the queue store (relayed, never run) is re-added for the reconciler, once', async () => {
    const caseId = await startStaffCase();
    // Relayed (outbox row done) but the job vanished, as after a Redis FLUSHALL.
    const outboxId = await addOutbox(caseId, reminder(['staff-member']), 'done');
    expect(await requeueUnfinishedNotifications(rt, q.queues)).toBe(1);
    consumeNotifications(rt, q.queues, mailer);
    await eventually(async () => (await rows(outboxId)).some((r) => r.status === 'sent'), 10_000);
    expect(to('a@example.test')).toHaveLength(1);
    // Once every recipient's row is final, there is nothing left to re-add.
    expect(await requeueUnfinishedNotifications(rt, q.queues)).toBe(0);
  }, 20_000);

  it('resolves roles where the case is; region roles need a grant for a staff case; bad data is recorded, not sent', async () => {
    const caseId = await startStaffCase();
    const caseRef = await t.db.transaction(system, (trx) => trx('cases').where({ id: caseId }).first('id', 'tenant_id', 'school_id', 'subject_person_id', 'employer'));
    const task = await t.db.transaction(system, (trx) => trx('tasks').where({ case_id: caseId }).first('assignee', 'candidate_users', 'candidate_groups'));
    const resolve = (roles: string[]) => t.db.transaction(system, (trx) => resolveRecipients(trx, caseRef, roles, { task, now: rt.clock.now() }));

    const r = await resolve(['assignee', 'employer', 'education-hr-officer', USERS.hrA, 'user:nobody', 'staff-member']);
    // The task is unassigned: its candidate group (headteacher) stands in.
    expect(r.recipients.map((x) => [x.key, x.role, x.language])).toEqual([
      [`person:${PEOPLE.headA}`, 'headteacher', 'both'],
      [`person:${PEOPLE.teacherA}`, 'staff-member', 'cy'],
    ]);
    expect(Object.fromEntries(r.unreachable.map((u) => [u.key, u.reason]))).toEqual({
      'role:employer': `no one holds the role la-employer at ${ORG.laA}`,
      [`user:${USERS.hrA}`]: expect.stringMatching(/has no e-mail address/),
      'role:user:nobody': 'no user nobody',
    });

    // With a grant, the region's challenge adviser is reached on this staff case.
    expect((await resolve(['challenge-adviser'])).recipients).toEqual([]);
    await t.db.transaction(system, (trx) => trx('case_grants').insert({ case_id: caseId, user_id: USERS.adviser, reason: 'hub support', expires_at: '2027-01-01T00:00:00Z', granted_by: USERS.hrA }));
    expect((await resolve(['challenge-adviser'])).recipients.map((x) => x.key)).toEqual([`user:${USERS.adviser}`]);

    // Missing template data or an unknown template: recorded as failed, nothing sent.
    const invite: NotifyEffect = { type: 'notify', template: 'meeting-invitation', toRoles: ['staff-member'], data: { meetingName: 'Stage 1' } };
    const inviteId = await addOutbox(caseId, invite, 'done');
    const report = await deliverNotification(rt, mailer, { outboxId: inviteId, caseId, effect: invite });
    expect(report.sent).toEqual([]);
    expect(report.failed).toEqual([{ recipient: `person:${PEOPLE.teacherA}`, reason: expect.stringMatching(/meeting-invitation.*no value for meetingAt, location/) }]);
    const unknown: NotifyEffect = { type: 'notify', template: 'no-such-template', toRoles: ['headteacher'] };
    const unknownId = await addOutbox(caseId, unknown, 'done');
    expect((await deliverNotification(rt, mailer, { outboxId: unknownId, caseId, effect: unknown })).failed[0].reason).toMatch(/unknown template "no-such-template"/);
    expect((await rows(unknownId))[0]).toMatchObject({ status: 'failed', subject: '[no-such-template]' });
    expect(smtp.received).toHaveLength(0);
  }, 20_000);

  it('when the attempts run out, the messages not sent are recorded as failed', async () => {
    const caseId = await startStaffCase();
    const outboxId = await addOutbox(caseId, reminder(['staff-member', 'headteacher']), 'done');
    const m = flaky(mailer, (mail) => mail.to.address === 'head@example.test');
    consumeNotifications(rt, q.queues, m);
    await q.queues.add(NOTIFICATIONS, notificationJobId(outboxId), { outboxId, caseId, effect: reminder(['staff-member', 'headteacher']) }, { attempts: 2, backoffMs: 100 });

    await eventually(async () => {
      const r = await rows(outboxId);
      return r.length === 2 && r.every((x) => x.status !== 'sending');
    }, 10_000);
    const recorded = Object.fromEntries((await rows(outboxId)).map((r) => [r.recipient, r]));
    expect(recorded[`person:${PEOPLE.teacherA}`].status).toBe('sent');
    expect(recorded[`person:${PEOPLE.headA}`].status).toBe('failed');
    expect(recorded[`person:${PEOPLE.headA}`].error).toMatch(/gave up after 2 attempt\(s\).*421/);
    expect(m.calls.get('head@example.test')).toBe(2);
    expect(to('a@example.test')).toHaveLength(1);
    expect(to('head@example.test')).toHaveLength(0);
  }, 20_000);
});
