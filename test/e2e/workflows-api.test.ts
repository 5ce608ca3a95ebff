// Each bundled BPMN workflow run once through the HTTP API by the demo users, with the workers running
// in-process on BullMQ (Redis, under a test prefix): start, complete and sign off the steps, let
// deadline timers fire (short periods given at the start, as a case or an LA may set them), and
// reach an end or a defined stage. Every history verifies.
import { readFileSync } from 'node:fs';
import { systemAccess } from '../../db/access.js';
import { deployDmn } from '../../runtime/commands/deploy-definition.js';
import { parseDuration } from '../../engine/time/index.js';
import { startWorkers, type RunningWorkers } from '../../workers/main.js';
import { calendarsFor, schoolCalendarFor } from '../../workflows/calendars/index.js';
import { DEMO, seedDemo } from '../../workflows/demo/seed.js';
import { createTestQueues, eventually, flushPrefix, type TestQueues } from '../helpers/queues.js';
import { eidOf, serverErrors, startServer, type E2E } from './helpers.js';

const BRYN: { laId: string; schoolId: string } = { laId: 'carmarthenshire', schoolId: DEMO.schools.bryn };
const BANNAU = { laId: 'powys', schoolId: DEMO.schools.bannau };
const bpmn = (key: string) => readFileSync(new URL(`../../workflows/bpmn/${key}.bpmn`, import.meta.url), 'utf8');

let e: E2E;
let q: TestQueues;
let workers: RunningWorkers | undefined;
const workerErrors: string[] = [];

beforeAll(async () => {
  e = await startServer({ seed: (t) => seedDemo(t.db) });
  // The LA's trigger table (a DMN file is deployed as `camau deploy` does; the API takes BPMN).
  const dmn = await deployDmn(e.rt, readFileSync(new URL('../../workflows/dmn/absence-trigger.dmn', import.meta.url), 'utf8'), 'admin');
  expect(dmn.ok).toBe(true);
  for (const key of ['school-intervention-plan', 'teacher-capability', 'headteacher-capability', 'sickness-absence', 'appraisal']) {
    const res = await e.req('POST', '/api/v1/definitions', { as: 'admin', body: bpmn(key), contentType: 'application/xml' });
    expect([key, res.status]).toEqual([key, 201]);
  }
  q = createTestQueues('bullmq', e.t.db);
  workers = await startWorkers(e.rt, q.queues, { relayIdleMs: 25, onError: (where, err) => workerErrors.push(`${where}: ${(err as Error).message}`) });
}, 60_000);

afterAll(async () => {
  await workers?.stop();
  if (q) await flushPrefix(q.prefix);
  const errors = e ? serverErrors(e) : [];
  await e?.close();
  expect(errors).toEqual([]);
  expect(workerErrors).toEqual([]);
});

const view = async (id: string, as: string) => {
  const res = await e.req('GET', `/api/v1/cases/${id}`, { as });
  expect(res.status).toBe(200);
  return res.body;
};
const activeOf = (v: { active: Array<{ element: string }> }) => v.active.map((a) => a.element).sort();

/** Completes the open task at `element` as `as`, and returns the case after it. */
async function complete(id: string, element: string, as: string, variables: Record<string, unknown> = {}) {
  const eid = eidOf(await view(id, as), element);
  const res = await e.req('POST', `/api/v1/cases/${id}/tasks/${eid}/complete`, { as, json: { variables } });
  expect([element, res.status, res.body?.error]).toEqual([element, 200, undefined]);
  return res.body;
}

async function signOff(id: string, element: string, as: string, role: string) {
  const eid = eidOf(await view(id, as), element);
  const res = await e.req('POST', `/api/v1/cases/${id}/tasks/${eid}/sign-off`, { as, json: { role, decision: 'approve' } });
  expect([element, role, res.status, res.body?.error]).toEqual([element, role, 200, undefined]);
  return res.body;
}

/** Waits until a timer has fired (on BullMQ) and the case waits at `element`. */
async function until(id: string, element: string, as: string) {
  await eventually(async () => activeOf(await view(id, as)).includes(element), 15_000, 100);
  return view(id, as);
}

/** The timer events that fired, by element id (the history records a timer.fired for each; the timers table names its element). */
const firedTimers = async (id: string, as: string): Promise<string[]> => {
  const res = await e.req('GET', `/api/v1/cases/${id}/events?limit=500`, { as });
  const fired = new Set(res.body.items.filter((i: any) => i.type === 'timer.fired').map((i: any) => i.payload.timerId));
  const rows = await e.t.db.transaction(systemAccess('test'), (trx) => trx('timers').where({ case_id: id }));
  return rows.filter((r) => fired.has(r.timer_id)).map((r) => r.element_id);
};

/** The first school day of a school at least `n` working (or school) days after today: a meeting date the models accept. */
function meetingDate(n: number, owner = BRYN, counted: 'working-days' | 'school-days' = 'working-days'): string {
  const from = calendarsFor(owner)(counted)!.add(new Date().toISOString(), (parseDuration(`P${n}D`) as { value: any }).value);
  if (!from.ok) throw new Error(from.message);
  const cal = schoolCalendarFor(owner)!;
  const d = new Date(from.value.slice(0, 10) + 'T12:00:00Z');
  const schoolDay = (day: string) => {
    const info = cal.info(day);
    if (info === 'unknown') throw new Error(`${day} is outside the loaded term dates`);
    return info.schoolDay;
  };
  while (!schoolDay(d.toISOString().slice(0, 10))) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The case's history verifies (an auditor sees school cases; a staff case stays with its LA's HR). */
async function verified(id: string, as = 'owen.auditor') {
  const res = await e.req('GET', `/api/v1/cases/${id}/verify`, { as });
  expect(res.body).toMatchObject({ ok: true });
}

it('school intervention plan: drafted, jointly agreed, accepted; a review finds insufficient progress; warning notice, compliance period, a power, closed', async () => {
  const started = await e.req('POST', '/api/v1/cases', {
    as: 'megan.adviser',
    json: { definitionKey: 'school-intervention-plan', schoolId: DEMO.schools.bryn, variables: { caseRef: 'SIP-E2E-1', challengeAdviser: 'megan.adviser', concern: 'Literacy', reviewCycle: 'R1/PT2S', compliancePeriod: 'PT2S' } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body.variables).toMatchObject({ draftDays: 10, agreeDays: 10, acceptDays: 10, reviewCycle: 'R1/PT2S', compliancePeriod: 'PT2S' });
  await complete(id, 'draftPlan', 'megan.adviser', { plan: 'Raise standards in literacy', staffActions: 'Coaching for two teachers', actions: [{ title: 'Literacy groups', owner: 'eleri.head', dueWeeks: 6 }] });
  await signOff(id, 'agreeStaffActions', 'rhys.hr', 'education-hr-officer');
  await signOff(id, 'agreeStaffActions', 'dylan.adviser', 'challenge-adviser');
  await signOff(id, 'acceptPlan', 'eleri.head', 'headteacher');
  const accepted = await signOff(id, 'acceptPlan', 'huw.chair', 'chair-of-governors');
  expect(activeOf(accepted)).toEqual(['carryOutAction']);

  // The half-termly review timer (2 seconds here) fires on BullMQ and opens the review.
  await until(id, 'reviewProgress', 'megan.adviser');
  await complete(id, 'reviewProgress', 'megan.adviser', { progress: 'insufficient' });
  await complete(id, 'laConsiders', 'ann.employer', { laDecision: 'warning-notice' });
  const noticed = await complete(id, 'prepareNotice', 'ann.employer', { grounds: 'Actions not carried out', requiredAction: 'Carry out the plan', compliancePeriod: 'PT2S', intendedAction: 'Additional governors (s.6)' });
  expect(activeOf(noticed)).toEqual(['recordCompliance']);
  // The copies went to the headteacher and the Welsh Ministers at the same time, as notifications (camau:notify).
  const copies = await e.t.db.transaction(systemAccess('test'), (trx) => trx('outbox').where({ case_id: id, kind: 'notify' }));
  const warningCopies = copies.filter((c) => c.payload.template === 'warning-notice-copy');
  expect(warningCopies.map((c) => c.payload.toRoles[0]).sort()).toEqual(['headteacher', 'welsh-government']);
  expect(new Set(warningCopies.map((c) => new Date(c.created_at).toISOString())).size).toBe(1);

  // The compliance period ends (its timer fires) and the LA chooses a power.
  await until(id, 'choosePower', 'ann.employer');
  await complete(id, 'choosePower', 'ann.employer', { power: 'governors' });
  await complete(id, 'powerGovernors', 'ann.employer');
  const closed = await complete(id, 'recordGrounds', 'ann.employer', { groundsDealtWith: true });
  expect(closed).toMatchObject({ status: 'completed', active: [], timers: [] });
  expect(await firedTimers(id, 'owen.auditor')).toEqual(expect.arrayContaining(['reviewDue', 'complianceEnded']));
  await verified(id);
}, 90_000);

it('teacher capability (LA employer): every stage to the notice, the periods and the appeal window run out on BullMQ, the contract end date follows the notice rules', async () => {
  const date = meetingDate(1);
  const started = await e.req('POST', '/api/v1/cases', {
    as: 'rhys.hr',
    json: { definitionKey: 'teacher-capability', subjectPersonId: 'person-dafydd', variables: { caseRef: 'CAP-E2E-1', employer: 'la', noticeDays: 1, appealDays: 0 } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body).toMatchObject({ employer: 'la', subject: { kind: 'staff' } });
  expect(started.body.variables).toMatchObject({ informalWeeks: 6, noticeDays: 1, appealDays: 0, minCommittee: 3, laNoticeDays: 14 });
  await complete(id, 'informalStage', 'eleri.head', { informalOutcome: 'formal' });
  const invited = await complete(id, 'arrangeStage1', 'eleri.head', { stage1Date: date });
  expect(activeOf(invited)).toEqual(['holdStage1']);
  await complete(id, 'holdStage1', 'eleri.head', { accompaniedBy: 'none', stage1Outcome: 'warning', monitoringWeeks: 0 });
  await until(id, 'arrangeReview', 'eleri.head'); // the monitoring period has run out
  await complete(id, 'arrangeReview', 'eleri.head', { reviewDate: date });
  await complete(id, 'holdReview', 'eleri.head', { accompaniedBy: 'none', reviewOutcome: 'final-warning' });
  await until(id, 'secondReview', 'eleri.head'); // the second period has run out
  await complete(id, 'secondReview', 'eleri.head', { secondOutcome: 'refer' });
  await complete(id, 'arrangeDecision', 'huw.chair', { dismissalCommittee: ['Huw Thomas', 'Mair Evans', 'Gwyn Jones'], decisionDate: date });
  await complete(id, 'dismissalDecision', 'mair.governor', { accompaniedBy: 'none', dismissalOutcome: 'dismiss' });
  // No appeal within appealDays: the LA, as employer, gives notice.
  await until(id, 'laNotice', 'ann.employer');
  const noticeGiven = await complete(id, 'laNotice', 'ann.employer');
  // Notice given in month m ends the contract on 31 Dec (June-October), 30 April (November-February) or 31 August (March-May).
  const now = new Date();
  const m = now.getUTCMonth() + 1;
  const y = now.getUTCFullYear();
  const end = m >= 6 && m <= 10 ? `${y}-12-31` : m >= 11 ? `${y + 1}-04-30` : m <= 2 ? `${y}-04-30` : `${y}-08-31`;
  expect(noticeGiven.variables.contractEndDate).toBe(end);
  expect(activeOf(noticeGiven)).toEqual(['contractEnds']);
  expect(noticeGiven.timers).toEqual([expect.objectContaining({ element: 'contractEnds' })]);
  expect(await firedTimers(id, 'rhys.hr')).toEqual(expect.arrayContaining(['monitoringPeriod', 'secondPeriod', 'noAppeal']));
  await verified(id, 'rhys.hr');
}, 90_000);

it('headteacher capability: the chair of governors runs the informal stage and stage 1, the panel the review; ended early as improved', async () => {
  const date = meetingDate(1);
  const started = await e.req('POST', '/api/v1/cases', {
    as: 'rhys.hr',
    json: { definitionKey: 'headteacher-capability', subjectPersonId: 'person-eleri', variables: { caseRef: 'HCAP-E2E-1', employer: 'la', noticeDays: 1 } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body.variables).toMatchObject({ isHeadteacher: true, minPanel: 3 });
  // The headteacher is the subject: the task is the chair's, not hers.
  expect((await e.req('POST', `/api/v1/cases/${id}/tasks/${eidOf(started.body, 'informalStage')}/complete`, { as: 'eleri.head', json: { variables: { informalOutcome: 'formal' } } })).status).toBe(403);
  await complete(id, 'informalStage', 'huw.chair', { informalOutcome: 'formal' });
  await complete(id, 'arrangeStage1', 'huw.chair', { stage1Date: date });
  await complete(id, 'holdStage1', 'huw.chair', { accompaniedBy: 'NAHT Cymru', stage1Outcome: 'warning', monitoringWeeks: 0 });
  await until(id, 'arrangeReview', 'huw.chair');
  await complete(id, 'arrangeReview', 'huw.chair', { reviewDate: date, capabilityPanel: ['Huw Thomas', 'Mair Evans', 'Gwyn Jones'] });
  await complete(id, 'holdReview', 'mair.governor', { accompaniedBy: 'none', reviewOutcome: 'final-warning' });
  await until(id, 'secondReview', 'huw.chair');
  const ended = await e.req('POST', '/api/v1/messages', { as: 'rhys.hr', json: { name: 'capability-ended', correlationKey: 'HCAP-E2E-1', variables: { endReason: 'improved' } } });
  expect(ended.body).toMatchObject({ caseId: id });
  const closed = await complete(id, 'recordEnding', 'rhys.hr');
  expect(closed).toMatchObject({ status: 'completed', active: [], variables: expect.objectContaining({ endReason: 'improved' }) });
  expect(await firedTimers(id, 'rhys.hr')).toEqual(expect.arrayContaining(['monitoringPeriod', 'secondPeriod']));
  await verified(id, 'rhys.hr');
}, 90_000);

it('sickness absence: an absence likely to be long goes to occupational health, the long-term review timer fires, and on return the trigger table starts stage 1', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const started = await e.req('POST', '/api/v1/cases', {
    as: 'rhys.hr',
    json: { definitionKey: 'sickness-absence', subjectPersonId: 'person-dafydd', variables: { caseRef: 'SA-E2E-1', employer: 'la', longTermReviewCycle: 'R1/PT2S' } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body.variables).toMatchObject({ rtwDays: 3, ohReferralDays: 20, rollingMonths: 12 });
  const message = async (name: string, variables: Record<string, unknown>) => {
    const res = await e.req('POST', '/api/v1/messages', { as: 'rhys.hr', json: { name, correlationKey: 'SA-E2E-1', variables } });
    expect([name, res.status, res.body]).toEqual([name, 200, expect.objectContaining({ caseId: id })]);
  };
  await message('absence-recorded', { firstDay: today, expectedWorkingDays: 30 });
  expect(activeOf(await view(id, 'rhys.hr'))).toEqual(['referOccupationalHealth']);
  await complete(id, 'referOccupationalHealth', 'rhys.hr', { ohReferredOn: today });
  await until(id, 'longTermReview', 'eleri.head'); // the long-term review cycle (2 seconds here) fired
  await complete(id, 'longTermReview', 'eleri.head', { longTermOutcome: 'continue' });
  await message('absence-ended', { lastDay: today, workingDaysLost: 12 });
  const back = await complete(id, 'returnToWorkInterview', 'eleri.head', { rtwNotes: 'Phased return agreed' });
  expect(activeOf(back)).toEqual(['arrangeStage1']);
  expect(back.variables.attendanceTrigger).toMatchObject({ trigger: true, action: 'stage-1' });
  expect(await firedTimers(id, 'rhys.hr')).toEqual(expect.arrayContaining(['longTermReviewDue']));
  await verified(id, 'rhys.hr');
}, 90_000);

it('appraisal: objectives, written notice of the meeting, the record, the meeting and the statement; no appeal within the time limit, the cycle closes', async () => {
  const started = await e.req('POST', '/api/v1/cases', {
    as: 'ioan.head',
    json: { definitionKey: 'appraisal', subjectPersonId: 'person-gwen', variables: { caseRef: 'APP-E2E-1', appraisee: 'gwen.teacher', noticeDays: 1, recordDays: 1, appealDays: 0 } },
  });
  expect(started.status).toBe(201);
  const id: string = started.body.id;
  expect(started.body.variables).toMatchObject({ objectivesDays: 20, statementDays: 10, noticeDays: 1 });
  await complete(id, 'setObjectives', 'ioan.head', { objectives: ['Raise attainment in mathematics'] });
  const noticed = await complete(id, 'giveNotice', 'ioan.head', { meetingDate: meetingDate(3, BANNAU, 'school-days') });
  expect(activeOf(noticed)).toEqual(['submitRecord']);
  // The appraisee holds no role: she sees her own case through a grant (there is no API for
  // grants yet, so it is written as an operator would).
  await e.t.db.transaction(systemAccess('test'), (trx) => trx('case_grants').insert({ case_id: id, user_id: 'gwen.teacher', reason: 'the appraisee', expires_at: new Date(Date.now() + 86_400_000), granted_by: 'ioan.head' }));
  const record = await e.req('POST', `/api/v1/cases/${id}/tasks/${eidOf(noticed, 'submitRecord')}/complete`, { as: 'gwen.teacher', json: { variables: { record: 'Evidence against the objective' } } });
  expect([record.status, record.body?.error]).toEqual([200, undefined]);
  await complete(id, 'holdMeeting', 'ioan.head');
  await complete(id, 'writeStatement', 'ioan.head', { statement: 'Objective met' });
  await until(id, 'closeCycle', 'ioan.head'); // no appeal within appealDays: the timer fired
  const closed = await complete(id, 'closeCycle', 'ioan.head', { nextCycle: false });
  expect(closed).toMatchObject({ status: 'completed', active: [] });
  expect(await firedTimers(id, 'ioan.head')).toEqual(expect.arrayContaining(['noAppeal']));
  await verified(id, 'ioan.head');
}, 90_000);
