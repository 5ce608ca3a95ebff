// A whole procedure end to end through the API, with the workers running in-process (BullMQ on
// Redis under a test prefix, and the embedded driver on the database): deploy the model, start a
// case, the timer-driven reminder fires before the task's due date, the task shows as overdue,
// the plan is drafted, returned in joint sign-off, redrafted and signed off by both roles; the
// history verifies through the API and its export verifies offline (`camau verify --bundle`).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemAccess } from '../../db/access.js';
import { verifyBundle } from '../../cli/history.js';
import { startWorkers, type RunningWorkers } from '../../workers/main.js';
import { createTestQueues, eventually, flushPrefix, QUEUE_DRIVERS, type TestQueues } from '../helpers/queues.js';
import { USERS } from '../helpers/seed.js';
import { eidOf, expectError, fixture, ORG, PRINCIPALS, serverErrors, startServer, seedWorld, type E2E } from './helpers.js';

const ADMIN = PRINCIPALS.find((p) => p.role === 'admin')!.id;
const MD = PRINCIPALS.find((p) => p.role === 'managing-director')!.id;
const AUDITOR = PRINCIPALS.find((p) => p.role === 'auditor')!.id;
const ADVISER = USERS.adviser; // challenge-adviser (region): drafts the plan, its author
const ADVISER2 = 'adviser-2'; // a second challenge-adviser: signs for the role
const HR = USERS.hrA; // education-hr-officer, LA A

interface HistoryItem { seq: number; type: string; payload: Record<string, any>; actor: Record<string, unknown> }

// One server and database for the file: the route registry of api/route.ts is filled once per
// process, bound to the runtime of the first app created, so a second app would not be tested.
let e: E2E;
beforeAll(async () => {
  e = await startServer({ seed: (t) => seedWorld(t, [{ id: ADVISER2, roles: [['challenge-adviser', ORG.region]] }]) });
}, 60_000);
afterAll(async () => {
  const errors = e ? serverErrors(e) : [];
  await e?.close();
  expect(errors).toEqual([]);
});

describe.each(QUEUE_DRIVERS.map((d, run) => [d, run] as const))('a procedure end to end through the API, workers on %s', (driver, run) => {
  let q: TestQueues;
  let workers: RunningWorkers | undefined;
  const workerErrors: string[] = [];

  beforeAll(async () => {
    q = createTestQueues(driver, e.t.db);
    workers = await startWorkers(e.rt, q.queues, { relayIdleMs: 25, onError: (where, err) => workerErrors.push(`${where}: ${(err as Error).message}`) });
  }, 30_000);
  afterAll(async () => {
    await workers?.stop();
    if (driver === 'bullmq' && q) await flushPrefix(q.prefix);
    expect(workerErrors).toEqual([]);
  });

  const events = async (id: string, as = ADVISER): Promise<HistoryItem[]> => {
    const res = await e.req('GET', `/api/v1/cases/${id}/events?limit=500`, { as });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  /** The elements completed so far, by element id, from the history. */
  const completedElements = (items: HistoryItem[]) => {
    const el = new Map(items.filter((i) => i.type === 'element.activated').map((i) => [i.payload.eid as string, i.payload.el as string]));
    return items.filter((i) => i.type === 'element.completed').map((i) => el.get(i.payload.eid));
  };

  it('runs from deployment to a verified, exported history', async () => {
    // Deploy, as the admin.
    const deployed = await e.req('POST', '/api/v1/definitions', { as: ADMIN, body: fixture('procedure.bpmn'), contentType: 'application/xml' });
    expect(deployed.status).toBe(run === 0 ? 201 : 200); // the same source again: its existing version
    expect(deployed.body.definitions).toEqual([expect.objectContaining({ key: 'e2e-plan', version: 1, created: run === 0 })]);
    const listed = await e.req('GET', '/api/v1/definitions', { as: ADVISER });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ key: 'e2e-plan', version: 1, kind: 'bpmn', deployedBy: ADMIN }));

    // The challenge adviser starts a case for school A.
    const started = await e.req('POST', '/api/v1/cases', { as: ADVISER, json: { definitionKey: 'e2e-plan', schoolId: ORG.schoolA, variables: { author: ADVISER } }, headers: { 'idempotency-key': `start-e2e-plan-${driver}` } });
    expect(started.status).toBe(201);
    const id: string = started.body.id;
    expect(started.headers.get('location')).toBe(`/api/v1/cases/${id}`);
    expect(started.body).toMatchObject({ definition: { key: 'e2e-plan', version: 1 }, status: 'active', version: 1, la: ORG.laA, school: ORG.schoolA, subject: { kind: 'school', schoolId: ORG.schoolA }, employer: 'la' });
    const draft = eidOf(started.body, 'draft');
    const draftStep = started.body.active.find((s: { eid: string }) => s.eid === draft);
    expect(draftStep).toMatchObject({ kind: 'userTask', name: 'Draft the plan', names: { cy: "Drafftio'r cynllun", en: 'Draft the plan' }, candidateGroups: ['challenge-adviser'] });
    const due = Date.parse(draftStep.dueAt);
    expect(due - Date.parse(started.body.createdAt)).toBe(2000);
    expect(started.body.timers).toEqual([expect.objectContaining({ element: 'draft__reminder1', dueAt: new Date(due - 1000).toISOString() })]);

    // It is in the adviser's inbox, and not yet overdue.
    const inbox = await e.req('GET', `/api/v1/tasks?definitionKey=e2e-plan&schoolId=${ORG.schoolA}`, { as: ADVISER });
    expect(inbox.body.items).toEqual([expect.objectContaining({ caseId: id, eid: draft, element: 'draft', dueAt: draftStep.dueAt, overdue: false, caseVersion: 1 })]);
    const claimed = await e.req('POST', `/api/v1/cases/${id}/tasks/${draft}/claim`, { as: ADVISER, headers: { 'if-match': started.headers.get('etag')! } });
    expect(claimed.status).toBe(200);
    expect(claimed.body.active.find((s: { eid: string }) => s.eid === draft).assignee).toBe(ADVISER);

    // The reminder timer fires a second before the due date: its boundary event completes and a
    // notification is queued through the outbox.
    await eventually(async () => completedElements(await events(id)).includes('draft__reminder1_notify'), 10_000, 100);
    const afterReminder = await events(id);
    expect(completedElements(afterReminder)).toEqual(expect.arrayContaining(['draft__reminder1', 'draft__reminder1_notify']));
    const fired = afterReminder.find((i) => i.type === 'timer.fired')!;
    expect(fired).toBeDefined();
    expect(Date.now()).toBeGreaterThanOrEqual(due - 1000);
    const notify = await e.t.db.transaction(systemAccess('test'), (trx) => trx('outbox').where({ case_id: id, kind: 'notify' }));
    expect(notify).toHaveLength(1);
    expect(notify[0].payload).toMatchObject({ type: 'notify', template: 'task-reminder', toRoles: ['challenge-adviser'], data: { task: 'draft', taskName: 'Draft the plan' } });
    await eventually(async () => (await e.t.db.transaction(systemAccess('test'), (trx) => trx('outbox').where({ id: notify[0].id }).first())).status === 'done', 5_000);
    const view = await e.req('GET', `/api/v1/cases/${id}`, { as: ADVISER });
    expect(view.body.timers).toEqual([]);
    expect(view.body.active.map((s: { element: string }) => s.element)).toEqual(['draft']); // non-interrupting: the task is still open

    // Past its due date the task is overdue, in the inbox and in the region's report.
    await eventually(() => Date.now() > due + 50, 5_000);
    const overdue = await e.req('GET', '/api/v1/tasks?overdue=true', { as: ADVISER });
    expect(overdue.body.items).toEqual([expect.objectContaining({ caseId: id, element: 'draft', overdue: true })]);
    const report = await e.req('GET', '/api/v1/reports/overdue-tasks', { as: MD });
    expect(report.body).toEqual({ scope: 'region', rows: [{ procedure: 'e2e-plan', stage: 'draft', la: ORG.laA, overdue: '1' }] });

    // Drafted; the joint sign-off opens for both roles.
    const drafted = await e.req('POST', `/api/v1/cases/${id}/tasks/${draft}/complete`, { as: ADVISER, json: { variables: { plan: 'Improve attendance' } } });
    expect(drafted.status).toBe(200);
    const agree = eidOf(drafted.body, 'agree');
    expect(drafted.body.active.find((s: { eid: string }) => s.eid === agree).signoff).toEqual({ roles: ['challenge-adviser', 'education-hr-officer'], outstanding: ['challenge-adviser', 'education-hr-officer'], signoffs: [] });
    expect((await e.req('GET', '/api/v1/tasks?definitionKey=e2e-plan', { as: HR })).body.items).toEqual([expect.objectContaining({ caseId: id, element: 'agree' })]);

    // The author may not approve their own plan; HR returns it with a comment.
    expectError(await e.req('POST', `/api/v1/cases/${id}/tasks/${agree}/sign-off`, { as: ADVISER, json: { role: 'challenge-adviser', decision: 'approve' } }), 422, 'REJECTED');
    const returned = await e.req('POST', `/api/v1/cases/${id}/tasks/${agree}/sign-off`, { as: HR, json: { role: 'education-hr-officer', decision: 'return', comment: 'Add the staffing actions' } });
    expect(returned.status).toBe(200);
    expect(returned.body.variables).toMatchObject({ signoffOutcome: 'returned', signoffComment: 'Add the staffing actions', signoffBy: HR });
    const redraft = eidOf(returned.body, 'draft');

    // Redrafted, then approved by both roles: HR, and a second challenge adviser.
    const again = await e.req('POST', `/api/v1/cases/${id}/tasks/${redraft}/complete`, { as: ADVISER, json: { variables: { plan: 'Improve attendance; staffing actions agreed with HR' } } });
    expect(again.status).toBe(200);
    const agree2 = eidOf(again.body, 'agree');
    expectError(await e.req('POST', `/api/v1/cases/${id}/tasks/${agree2}/sign-off`, { as: HR, json: { role: 'challenge-adviser', decision: 'approve' } }), 403, 'FORBIDDEN');
    const hrApproves = await e.req('POST', `/api/v1/cases/${id}/tasks/${agree2}/sign-off`, { as: HR, json: { role: 'education-hr-officer', decision: 'approve', comment: 'Agreed' } });
    expect(hrApproves.status).toBe(200);
    expect(hrApproves.body.active.find((s: { eid: string }) => s.eid === agree2).signoff.outstanding).toEqual(['challenge-adviser']);
    const done = await e.req('POST', `/api/v1/cases/${id}/tasks/${agree2}/sign-off`, { as: ADVISER2, json: { role: 'challenge-adviser', decision: 'approve' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', active: [], timers: [] });
    expect(done.body.variables).toMatchObject({ plan: 'Improve attendance; staffing actions agreed with HR', signoffOutcome: 'approved', signoffBy: [HR, ADVISER2] });

    // The case as an auditor sees it: completed, its history intact, every actor recorded.
    const final = await e.req('GET', `/api/v1/cases/${id}`, { as: AUDITOR });
    expect(final.body).toMatchObject({ status: 'completed', version: done.body.version });
    expect((await e.req('GET', `/api/v1/cases/${id}/verify`, { as: AUDITOR })).body).toMatchObject({ ok: true });
    const history = await events(id, AUDITOR);
    expect(history.map((i) => i.seq)).toEqual(history.map((_i, n) => n + 1));
    expect(history.at(-1)!.type).toBe('instance.completed');
    const actors = history.map((i) => i.actor);
    for (const actor of [{ userId: ADVISER }, { userId: HR, role: 'education-hr-officer' }, { userId: ADVISER2, role: 'challenge-adviser' }, { system: 'timer' }]) expect(actors).toContainEqual(actor);
    expect(history.find((i) => i.type === 'timer.fired')!.actor).toEqual({ system: 'timer' });
    const atReminder = await e.req('GET', `/api/v1/cases/${id}/state?at=${fired.seq}`, { as: AUDITOR });
    expect(atReminder.body).toMatchObject({ seq: fired.seq, status: 'active', active: ['draft'] });
    const paged = await e.req('GET', `/api/v1/cases/${id}/events?from=3&limit=2`, { as: AUDITOR });
    expect(paged.body.items.map((i: HistoryItem) => i.seq)).toEqual([3, 4]);
    expect(paged.body.next).toBe(5);

    // Exported, and checked offline as `camau verify --bundle` does; a changed copy is caught.
    const exported = await e.req('GET', `/api/v1/cases/${id}/export`, { as: AUDITOR });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="case-${id}.json"`);
    expect(exported.body).toMatchObject({ format: 'camau-case-bundle/1', case: { id, status: 'completed' } });
    const dir = mkdtempSync(join(tmpdir(), 'camau-e2e-'));
    const file = join(dir, 'bundle.json');
    writeFileSync(file, exported.text);
    const out: string[] = [];
    expect(await verifyBundle(file, (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`bundle of case ${id}: intact \\(${history.length} events`));
    const tampered = JSON.parse(readFileSync(file, 'utf8'));
    // HR's return, rewritten as an approval.
    const hrReturn = tampered.events.find((i: HistoryItem) => i.type === 'task.updated' && i.payload.task.signoffs?.some((x: { decision: string }) => x.decision === 'return'));
    hrReturn.payload.task.signoffs.find((x: { decision: string }) => x.decision === 'return').decision = 'approve';
    writeFileSync(file, JSON.stringify(tampered));
    const out2: string[] = [];
    expect(await verifyBundle(file, (s) => out2.push(s))).toBe(1);
    expect(out2.join('\n')).toMatch(/BROKEN at seq \d+ \(hash\)/);

    // The idempotent start replays the first response, even now.
    const replay = await e.req('POST', '/api/v1/cases', { as: ADVISER, json: { definitionKey: 'e2e-plan', schoolId: ORG.schoolA, variables: { author: ADVISER } }, headers: { 'idempotency-key': `start-e2e-plan-${driver}` } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(started.body);

    // Reports: the sign-off and the stages are counted, with no names in them.
    const turnaround = await e.req('GET', '/api/v1/reports/signoff-turnaround', { as: MD });
    expect(turnaround.body.rows).toEqual([expect.objectContaining({ procedure: 'e2e-plan', stage: 'agree', signed: String(2 * (run + 1)) })]);
    const national = await e.req('GET', '/api/v1/reports/stage-times', { as: PRINCIPALS.find((p) => p.role === 'welsh-government')!.id });
    expect(national.body.scope).toBe('wales');
    expect(JSON.stringify(national.body)).not.toMatch(new RegExp(`${ADVISER}|${HR}|${id}`));
  }, 40_000);
});
