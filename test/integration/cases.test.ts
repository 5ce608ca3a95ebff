// Durable cases on PostgreSQL and on PGlite: every command in one transaction, the history
// hash-chained and verifiable, tenancy enforced by row-level security.
import { readFileSync } from 'node:fs';
import { systemAccess, type Access } from '../../db/access.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { cancelCase } from '../../runtime/commands/cancel-case.js';
import { replayCase, verifyCase } from '../../runtime/commands/history.js';
import { accessFor } from '../../runtime/access.js';
import { performCrossCaseEffects } from '../../runtime/cross-case.js';
import { activeElements, openWaits } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';

const model = (name: string) => readFileSync(new URL(`../fixtures/durable/${name}`, import.meta.url), 'utf8');
const actor = (userId: string) => ({ userId });

describe.each(DRIVERS)('durable cases on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let hrA: Access;
  let hrB: Access;
  let adviser: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    hrA = (await accessFor(rt, USERS.hrA)).access;
    hrB = (await accessFor(rt, USERS.hrB)).access;
    adviser = (await accessFor(rt, USERS.adviser)).access;
    expect((await deployBpmn(rt, model('review-sub.bpmn'), USERS.adminUser)).ok).toBe(true);
    expect((await deployBpmn(rt, model('plan.bpmn'), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const taskEid = (state: { elements: Record<string, { el: string; id: string }> }, el: string) => Object.values(state.elements).find((e) => e.el === el)!.id;

  it('deploying the same source again returns the same version; a changed source is the next version', async () => {
    const again = await deployBpmn(rt, model('plan.bpmn'), USERS.adminUser);
    expect(again.ok && again.value).toEqual([expect.objectContaining({ key: 'plan', version: 1, created: false })]);
    const changed = await deployBpmn(rt, model('plan.bpmn').replace('Draft the plan"', 'Draft the improvement plan"'), USERS.adminUser);
    expect(changed.ok && changed.value).toEqual([expect.objectContaining({ key: 'plan', version: 2, created: true })]);
  });

  it('refuses an invalid model with every diagnostic, and stores nothing', async () => {
    const bad = await deployBpmn(rt, model('plan.bpmn').replace('=signoffOutcome = "approved"', '=signoffOutcome =').replace('P14D', 'P1X'), USERS.adminUser);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('INVALID_MODEL');
    expect((bad.error.details!.diagnostics as Array<{ code: string }>).map((d) => d.code).sort()).toEqual(['expression-syntax', 'timer-syntax']);
  });

  it('runs a case through tasks, joint sign-off and a call activity, and its history verifies', async () => {
    const started = await startCase(rt, adviser, { definitionKey: 'plan', version: 1, schoolId: ORG.schoolA, variables: { author: USERS.adviser }, actor: actor(USERS.adviser) });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const id = started.value.caseId;
    expect(activeElements(started.value.state)).toEqual(['draft']);
    const row = await t.db.transaction(systemAccess('test'), (trx) => trx('cases').where({ id }).first());
    expect(row).toMatchObject({ tenant_id: ORG.laA, school_id: ORG.schoolA, subject_kind: 'school', employer: 'la', version: 1 });

    const drafted = await completeTask(rt, adviser, id, taskEid(started.value.state, 'draft'), { plan: 'Improve attendance' }, { actor: actor(USERS.adviser), expectedVersion: 1 });
    expect(drafted.ok).toBe(true);
    if (!drafted.ok) return;
    const agree = taskEid(drafted.value.state, 'agree');

    // The author may not approve; one person may not sign for two roles.
    const authorApproves = await signOff(rt, adviser, id, { eid: agree, role: 'challenge-adviser', userId: USERS.adviser, decision: 'approve' }, { actor: actor(USERS.adviser) });
    expect(!authorApproves.ok && authorApproves.error.code).toBe('REJECTED');
    const hr = await signOff(rt, hrA, id, { eid: agree, role: 'education-hr-officer', userId: USERS.hrA, decision: 'approve' }, { actor: actor(USERS.hrA) });
    expect(hr.ok).toBe(true);
    const twice = await signOff(rt, hrA, id, { eid: agree, role: 'challenge-adviser', userId: USERS.hrA, decision: 'approve' }, { actor: actor(USERS.hrA) });
    expect(!twice.ok && twice.error.message).toMatch(/two roles/);
    const other = await signOff(rt, adviser, id, { eid: agree, role: 'challenge-adviser', userId: 'user-second-adviser', decision: 'approve' }, { actor: actor('user-second-adviser') });
    expect(other.ok).toBe(true);
    if (!other.ok) return;
    expect(activeElements(other.value.state)).toEqual([]);
    expect(Object.values(other.value.state.elements).map((e) => e.el)).toContain('review');

    // The call activity starts the review case through the outbox; its completion returns.
    expect(await performCrossCaseEffects(rt)).toBe(1);
    const child = await t.db.transaction(systemAccess('test'), (trx) => trx('cases').where({ parent_case_id: id }).first());
    expect(child).toMatchObject({ tenant_id: ORG.laA, school_id: ORG.schoolA, status: 'active' });
    const childTask = openWaits(child.snapshot)[0];
    expect(childTask.el).toBe('check');
    const checked = await completeTask(rt, adviser, child.id, childTask.id, { progress: 'good' }, { actor: actor(USERS.adviser) });
    expect(checked.ok && checked.value.state.status).toBe('completed');
    expect(await performCrossCaseEffects(rt)).toBe(1);
    const parent = await t.db.transaction(adviser, (trx) => trx('cases').where({ id }).first());
    expect(parent.status).toBe('completed');
    expect(parent.snapshot.vars).toMatchObject({ plan: 'Improve attendance', progress: 'good', signoffOutcome: 'approved' });

    for (const c of [id, child.id]) {
      const v = await verifyCase(rt, adviser, c);
      expect(v.ok && v.value).toMatchObject({ ok: true });
    }
    const tasks = await t.db.transaction(adviser, (trx) => trx('tasks').where({ case_id: id }).orderBy('created_at').select('element_id', 'status', 'names'));
    expect(tasks).toEqual([
      { element_id: 'draft', status: 'completed', names: { cy: "Drafftio'r cynllun", en: 'Draft the plan' } },
      { element_id: 'agree', status: 'completed', names: null },
    ]);
  });

  it('replays a case to any event', async () => {
    const started = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, schoolId: ORG.schoolA, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.caseId;
    await completeTask(rt, hrA, id, taskEid(started.value.state, 'draft'), {}, { actor: actor(USERS.hrA) });
    const atStart = await replayCase(rt, hrA, id, started.value.events.length);
    expect(atStart.ok && activeElements(atStart.value.state)).toEqual(['draft']);
    const now = await replayCase(rt, hrA, id);
    expect(now.ok && activeElements(now.value.state)).toEqual(['agree']);
    const beyond = await replayCase(rt, hrA, id, 10_000);
    expect(!beyond.ok && beyond.error.code).toBe('INVALID_INPUT');
  });

  it("counts a school-days due date in the case's own LA and school calendar", async () => {
    expect((await deployBpmn(rt, model('school-deadline.bpmn'), USERS.adminUser)).ok).toBe(true);
    // Thursday 22 October 2026, 09:00 in Carmarthenshire; half term is 26-30 October and
    // Ysgol y Bryn has an INSET day on Monday 2 November.
    rt.clock.set('2026-10-22T08:00:00Z');
    const started = await startCase(rt, hrA, { definitionKey: 'school-deadline', schoolId: ORG.schoolA, actor: actor(USERS.hrA) });
    rt.clock.set('2026-11-02T09:00:00.000Z');
    if (!started.ok) throw new Error(started.error.message);
    const task = await t.db.transaction(hrA, (trx) => trx('tasks').where({ case_id: started.value.caseId }).first('due_at'));
    // Fri 23 Oct, then Tue 3, Wed 4, Thu 5 and Fri 6 November: 09:00 GMT after the clocks went back.
    expect(new Date(task.due_at).toISOString()).toBe('2026-11-06T09:00:00.000Z');
    const row = await t.db.transaction(hrA, (trx) => trx('cases').where({ id: started.value.caseId }).first('calendar_la'));
    expect(row.calendar_la).toBe('carmarthenshire');
  });

  it('refuses a command on a stale version and writes nothing', async () => {
    const started = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, schoolId: ORG.schoolA, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.caseId;
    const stale = await completeTask(rt, hrA, id, taskEid(started.value.state, 'draft'), {}, { actor: actor(USERS.hrA), expectedVersion: 7 });
    expect(!stale.ok && stale.error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: 1 } });
    const count = await t.db.transaction(hrA, (trx) => trx('case_events').where({ case_id: id }).count<{ count: string }[]>('* as count'));
    expect(Number(count[0].count)).toBe(started.value.events.length);
  });

  it('fires due timers once; a cancelled timer changes nothing', async () => {
    const started = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, schoolId: ORG.schoolA, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.caseId;
    const timer = Object.values(started.value.state.timers)[0];
    expect(timer).toMatchObject({ el: 'overdue', dueAt: '2026-11-16T09:00:00.000Z' });
    const fired = await fireTimer(rt, id, timer.timerId);
    expect(fired.ok && activeElements(fired.value.state)).toEqual(['chase', 'draft']);
    const again = await fireTimer(rt, id, timer.timerId);
    expect(again.ok && again.value.events).toEqual([]);
    const pending = await t.db.transaction(hrA, (trx) => trx('timers').where({ case_id: id }).select('status'));
    expect(pending).toEqual([{ status: 'fired' }]);
    const cancelled = await cancelCase(rt, hrA, id, 'withdrawn', { actor: actor(USERS.hrA) });
    expect(cancelled.ok && cancelled.value.state.status).toBe('terminated');
  });

  it('keeps each LA to its own cases, even for a hand-written SELECT *', async () => {
    const inA = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, subjectPersonId: PEOPLE.teacherA, actor: actor(USERS.hrA) });
    expect(inA.ok).toBe(true);
    if (!inA.ok) return;
    const seenByB = await t.db.transaction(hrB, async (trx) => ({
      cases: (await trx.raw('select * from cases')).rows,
      events: (await trx.raw('select * from case_events')).rows,
      tasks: (await trx.raw('select * from tasks')).rows,
      timers: (await trx.raw('select * from timers')).rows,
      outbox: (await trx.raw('select * from outbox')).rows,
      people: (await trx.raw(`select * from people where kind = 'staff'`)).rows.map((p: { la_id: string }) => p.la_id),
    }));
    expect(seenByB).toEqual({ cases: [], events: [], tasks: [], timers: [], outbox: [], people: [ORG.laB] });
    // A region-wide adviser sees school cases but not this staff case.
    const adviserSees = await t.db.transaction(adviser, (trx) => trx('cases').where({ id: inA.value.caseId }).first());
    expect(adviserSees).toBeUndefined();
    // Commands on it from LA B: not found, not forbidden.
    const fromB = await completeTask(rt, hrB, inA.value.caseId, 'e1', {}, { actor: actor(USERS.hrB) });
    expect(!fromB.ok && fromB.error.code).toBe('NOT_FOUND');
    // LA B cannot start a case for LA A's teacher.
    const startByB = await startCase(rt, hrB, { definitionKey: 'plan', version: 1, subjectPersonId: PEOPLE.teacherA, actor: actor(USERS.hrB) });
    expect(startByB.ok).toBe(false);
  });

  it('a grant lets a named user of another LA see one case until it expires', async () => {
    const inA = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, subjectPersonId: PEOPLE.teacherA, actor: actor(USERS.hrA) });
    if (!inA.ok) throw new Error(inA.error.message);
    await t.db.transaction(systemAccess('test'), (trx) => trx('case_grants').insert({ case_id: inA.value.caseId, user_id: USERS.hrB, reason: 'peak case work shared on a hub basis', expires_at: '2099-01-01T00:00:00Z', granted_by: USERS.hrA }));
    const seen = await t.db.transaction(hrB, (trx) => trx('cases').pluck('id'));
    expect(seen).toEqual([inA.value.caseId]);
    await t.db.transaction(systemAccess('test'), (trx) => trx('case_grants').where({ case_id: inA.value.caseId }).update({ expires_at: '2020-01-01T00:00:00Z' }));
    expect(await t.db.transaction(hrB, (trx) => trx('cases').pluck('id'))).toEqual([]);
  });

  it('refuses to change or delete history, and verify names an altered or missing event', async () => {
    const started = await startCase(rt, hrA, { definitionKey: 'plan', version: 1, schoolId: ORG.schoolA, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.caseId;
    for (const access of [hrA, systemAccess('test')]) {
      await expect(t.db.transaction(access, (trx) => trx('case_events').where({ case_id: id, seq: 2 }).update({ type: 'forged' }))).rejects.toThrow(/append-only|permission denied/);
      await expect(t.db.transaction(access, (trx) => trx('case_events').where({ case_id: id, seq: 2 }).delete())).rejects.toThrow(/append-only|permission denied/);
    }
    // The owner can switch the trigger off; verify still catches the change.
    await t.db.knex.transaction(async (trx) => {
      await trx.raw('alter table case_events disable trigger case_events_no_update');
      await trx.raw(`update case_events set payload = jsonb_set(payload, '{variables}', '{"forged": true}') where case_id = ? and seq = 1`, [id]);
      await trx.raw('alter table case_events enable trigger case_events_no_update');
    });
    const v = await verifyCase(rt, hrA, id);
    expect(v.ok && v.value).toMatchObject({ ok: false, seq: 1, reason: 'hash' });
  });
});
