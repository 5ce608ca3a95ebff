// Every runtime command, accepted and refused. A refused command returns a stable code and a
// clear message, and leaves every table exactly as it was.
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { assignTask, claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import { broadcastSignal } from '../../runtime/commands/broadcast-signal.js';
import { cancelCase } from '../../runtime/commands/cancel-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { correlateMessage } from '../../runtime/commands/correlate-message.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { replayCase, verifyCase } from '../../runtime/commands/history.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase, type StartCase } from '../../runtime/commands/start-case.js';
import type { Outcome } from '../../runtime/errors.js';
import { activeElements, initialState, openWaits, type InstanceState } from '../../engine/index.js';
import { canonicalJson } from '../../engine/audit/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseRow, durableModel, eventSeqs, expectCaseConsistent, fingerprint, SYSTEM } from './durable-checks.js';

const actor = (userId: string) => ({ userId });
const NO_CASE = '00000000-0000-4000-8000-000000000000';

describe.each(DRIVERS)('runtime commands on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let hrA: Access;
  let hrB: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    hrA = (await accessFor(rt, USERS.hrA)).access;
    hrB = (await accessFor(rt, USERS.hrB)).access;
    for (const m of ['mixed.bpmn', 'joint.bpmn', 'mi-review.bpmn']) expect((await deployBpmn(rt, durableModel(m), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  /** Runs a command that must be refused with `code`, and checks that nothing at all was written. */
  async function refused<T>(code: string, run: () => Promise<Outcome<T>>, message?: RegExp): Promise<void> {
    const before = await fingerprint(t.db);
    const r = await run();
    expect(r.ok ? 'accepted' : r.error.code).toBe(code);
    if (!r.ok && message) expect(r.error.message).toMatch(message);
    expect(await fingerprint(t.db)).toEqual(before);
  }

  async function start(input: Partial<StartCase> & { definitionKey: string }, access: Access = hrA): Promise<{ id: string; state: InstanceState; events: number }> {
    const r = await startCase(rt, access, { schoolId: ORG.schoolA, actor: actor(USERS.hrA), ...input });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return { id: r.value.caseId, state: r.value.state, events: r.value.events.length };
  }

  const eidOf = (state: InstanceState, el: string) => {
    const e = openWaits(state).find((w) => w.el === el);
    if (!e) throw new Error(`no open ${el} in ${activeElements(state).join(',')}`);
    return e.id;
  };
  const snapshot = async (id: string) => (await caseRow(t.db, id)).snapshot;

  /** A `mixed` case routed to the message catch (route a) and waiting for documents with key `caseRef`. */
  async function waitingForDocs(caseRef: string, access: Access = hrA, schoolId = ORG.schoolA) {
    const c = await start({ definitionKey: 'mixed', schoolId, variables: { caseRef } }, access);
    const r = await completeTask(rt, access, c.id, eidOf(c.state, 'classify'), { route: 'a' }, { actor: actor(USERS.hrA) });
    if (!r.ok) throw new Error(r.error.message);
    expect(activeElements(r.value.state)).toEqual(['docs']);
    return c.id;
  }

  /** A `mixed` case routed past its timer to the follow-up task, which listens for the signal `nudge`. */
  async function followingUp(): Promise<string> {
    const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'F' } });
    const r = await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'b' }, { actor: actor(USERS.hrA) });
    if (!r.ok) throw new Error(r.error.message);
    const pause = Object.values(r.value.state.timers).find((x) => x.el === 'pause')!;
    const fired = await fireTimer(rt, c.id, pause.timerId);
    if (!fired.ok) throw new Error(fired.error.message);
    expect(activeElements(fired.value.state)).toEqual(['followUp']);
    return c.id;
  }

  describe('deploy-definition', () => {
    it('returns the existing version for the same source and writes nothing', async () => {
      const before = await fingerprint(t.db);
      const again = await deployBpmn(rt, durableModel('mixed.bpmn'), 'someone-else');
      expect(again.ok && again.value).toEqual([expect.objectContaining({ key: 'mixed', version: 1, created: false })]);
      expect(await fingerprint(t.db)).toEqual(before);
    });

    it('refuses XML that is not a model, with diagnostics, and stores nothing', async () => {
      for (const source of ['<bpmn:definitions', 'not xml at all', '']) {
        const before = await fingerprint(t.db);
        const r = await deployBpmn(rt, source, USERS.adminUser);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('INVALID_MODEL');
        const diagnostics = r.error.details!.diagnostics as Array<{ code: string; message: string }>;
        expect(diagnostics.length).toBeGreaterThan(0);
        for (const d of diagnostics) expect(d.message).toEqual(expect.any(String));
        expect(await fingerprint(t.db)).toEqual(before);
      }
    });

    it('refuses a model with a broken expression, naming the element, and stores nothing', async () => {
      const before = await fingerprint(t.db);
      const r = await deployBpmn(rt, durableModel('mixed.bpmn').replace('=route = "b"', '=route = ').replace('id="mixed"', 'id="mixed-broken"'), USERS.adminUser);
      expect(!r.ok && r.error.code).toBe('INVALID_MODEL');
      if (r.ok) return;
      expect(r.error.details!.diagnostics).toEqual([expect.objectContaining({ elementId: 'f-b' })]);
      expect(await fingerprint(t.db)).toEqual(before);
    });

    it('keeps running cases on the version they started with', async () => {
      const source = durableModel('joint.bpmn').replace('id="joint"', 'id="pinned"');
      const v1 = await deployBpmn(rt, source, USERS.adminUser);
      expect(v1.ok && v1.value[0]).toMatchObject({ version: 1, created: true });
      const old = await start({ definitionKey: 'pinned', variables: { author: 'x' } });
      const v2 = await deployBpmn(rt, source.replace('Publish the report', 'Publish it'), USERS.adminUser);
      expect(v2.ok && v2.value[0]).toMatchObject({ version: 2, created: true });
      const fresh = await start({ definitionKey: 'pinned', variables: { author: 'x' } });
      expect((await snapshot(old.id)).def.version).toBe(1);
      expect((await snapshot(fresh.id)).def.version).toBe(2);
      const explicit = await start({ definitionKey: 'pinned', version: 1, variables: { author: 'x' } });
      expect((await snapshot(explicit.id)).def.version).toBe(1);
    });
  });

  describe('start-case', () => {
    it('refuses an unknown definition or version with NOT_FOUND', async () => {
      await refused('NOT_FOUND', () => startCase(rt, hrA, { definitionKey: 'no-such-process', schoolId: ORG.schoolA, actor: actor(USERS.hrA) }), /no-such-process/);
      await refused('NOT_FOUND', () => startCase(rt, hrA, { definitionKey: 'mixed', version: 99, schoolId: ORG.schoolA, actor: actor(USERS.hrA) }), /version 99/);
    });

    it('refuses both or neither of school and person with INVALID_INPUT', async () => {
      await refused('INVALID_INPUT', () => startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, subjectPersonId: PEOPLE.teacherA, actor: actor(USERS.hrA) }));
      await refused('INVALID_INPUT', () => startCase(rt, hrA, { definitionKey: 'mixed', actor: actor(USERS.hrA) }));
    });

    it('refuses an unknown school, an LA given as a school, or an unknown person with NOT_FOUND', async () => {
      await refused('NOT_FOUND', () => startCase(rt, hrA, { definitionKey: 'mixed', schoolId: 'school-nowhere', actor: actor(USERS.hrA) }), /school-nowhere/);
      await refused('NOT_FOUND', () => startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.laA, actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => startCase(rt, hrA, { definitionKey: 'mixed', subjectPersonId: 'person-nobody', actor: actor(USERS.hrA) }), /person-nobody/);
    });

    it('refuses a start the model cannot make (unknown start event) and writes nothing', async () => {
      await refused('REJECTED', () => startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, startEventId: 'no-such-start', actor: actor(USERS.hrA) }), /no-such-start/);
    });

    it('sets tenant, subject and employer from the school category', async () => {
      const community = await start({ definitionKey: 'mixed', schoolId: ORG.schoolA, variables: { caseRef: 'x' } });
      const aided = await start({ definitionKey: 'mixed', schoolId: ORG.schoolA2, variables: { caseRef: 'x' } });
      const staff = await start({ definitionKey: 'mixed', schoolId: undefined, subjectPersonId: PEOPLE.teacherA, variables: { caseRef: 'x' } });
      expect(await caseRow(t.db, community.id)).toMatchObject({ tenant_id: ORG.laA, school_id: ORG.schoolA, subject_kind: 'school', employer: 'la', version: 1, status: 'active' });
      expect(await caseRow(t.db, aided.id)).toMatchObject({ tenant_id: ORG.laA, school_id: ORG.schoolA2, subject_kind: 'school', employer: 'governing-body' });
      expect(await caseRow(t.db, staff.id)).toMatchObject({ tenant_id: ORG.laA, school_id: ORG.schoolA, subject_kind: 'staff', subject_person_id: PEOPLE.teacherA, employer: 'la' });
      for (const c of [community, aided, staff]) await expectCaseConsistent(rt, c.id);
      // The start wrote its history, the open task, the boundary timer and their outbox rows.
      const rows = await t.db.transaction(SYSTEM, async (trx) => ({
        tasks: await trx('tasks').where({ case_id: community.id }).select('element_id', 'status'),
        timers: await trx('timers').where({ case_id: community.id }).select('element_id', 'status', 'due_at'),
        outbox: (await trx('outbox').where({ case_id: community.id }).pluck('kind')).sort(),
      }));
      expect(rows.tasks).toEqual([{ element_id: 'classify', status: 'open' }]);
      expect(rows.timers).toEqual([{ element_id: 'stale', status: 'pending', due_at: new Date('2026-11-05T09:00:00.000Z') }]);
      expect(rows.outbox).toEqual(['scheduleTimer', 'taskCreated']);
    });

    it('refuses a case for a staff member of another LA (invisible to the caller)', async () => {
      await refused('NOT_FOUND', () => startCase(rt, hrB, { definitionKey: 'mixed', subjectPersonId: PEOPLE.teacherA, actor: actor(USERS.hrB) }));
    });
  });

  describe('claim, unclaim and assign', () => {
    it('claims a free task, refuses another claimant, and lets a manager reassign it', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'c' } });
      const eid = eidOf(c.state, 'classify');
      const claimed = await claimTask(rt, hrA, c.id, eid, 'user-one', { actor: actor('user-one'), expectedVersion: 1 });
      expect(claimed.ok && claimed.value.version).toBe(2);
      await refused('REJECTED', () => claimTask(rt, hrA, c.id, eid, 'user-two', { actor: actor('user-two') }), /already claimed by user-one/);
      const assigned = await assignTask(rt, hrA, c.id, eid, 'user-two', { actor: actor(USERS.hrA) });
      expect(assigned.ok).toBe(true);
      const task = () => t.db.transaction(SYSTEM, (trx) => trx('tasks').where({ case_id: c.id, eid }).first('assignee'));
      expect((await task()).assignee).toBe('user-two');
      const unclaimed = await unclaimTask(rt, hrA, c.id, eid, { actor: actor('user-two') });
      expect(unclaimed.ok).toBe(true);
      expect((await task()).assignee).toBeNull();
      const reclaimed = await claimTask(rt, hrA, c.id, eid, 'user-one', { actor: actor('user-one') });
      expect(reclaimed.ok).toBe(true);
      expect((await task()).assignee).toBe('user-one');
      await expectCaseConsistent(rt, c.id);
    });

    it('refuses an unknown task, a stale version, a bad or invisible case, and writes nothing', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'c' } });
      const eid = eidOf(c.state, 'classify');
      await refused('REJECTED', () => claimTask(rt, hrA, c.id, 'e999', 'user-one', { actor: actor('user-one') }), /e999 is not an open user task/);
      await refused('REJECTED', () => assignTask(rt, hrA, c.id, 'e999', 'user-one', { actor: actor(USERS.hrA) }), /e999/);
      await refused('REJECTED', () => unclaimTask(rt, hrA, c.id, 'e999', { actor: actor(USERS.hrA) }), /e999/);
      await refused('CONFLICT', () => claimTask(rt, hrA, c.id, eid, 'user-one', { actor: actor('user-one'), expectedVersion: 5 }));
      await refused('NOT_FOUND', () => claimTask(rt, hrA, 'not-a-uuid', eid, 'user-one', { actor: actor('user-one') }));
      await refused('NOT_FOUND', () => claimTask(rt, hrA, NO_CASE, eid, 'user-one', { actor: actor('user-one') }));
      await refused('NOT_FOUND', () => claimTask(rt, hrB, c.id, eid, USERS.hrB, { actor: actor(USERS.hrB) }));
    });
  });

  describe('complete-task', () => {
    it('completes a task with its variables, and the next wait opens', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'k' } });
      const r = await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'b', note: 'ok' }, { actor: actor(USERS.hrA), expectedVersion: 1 });
      expect(r.ok && r.value.version).toBe(2);
      const s = await snapshot(c.id);
      expect(s.vars).toMatchObject({ route: 'b', note: 'ok' });
      expect(activeElements(s)).toEqual(['pause']);
      const timers = await t.db.transaction(SYSTEM, (trx) => trx('timers').where({ case_id: c.id }).orderBy('timer_id').select('element_id', 'status'));
      expect(timers).toEqual(expect.arrayContaining([{ element_id: 'stale', status: 'cancelled' }, { element_id: 'pause', status: 'pending' }]));
      await expectCaseConsistent(rt, c.id);
    });

    it('refuses what is not an open task, and writes nothing', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'k' } });
      await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'b' }, { actor: actor(USERS.hrA) });
      const pause = eidOf(await snapshot(c.id), 'pause');
      // A timer catch event is waiting, but not for completion.
      await refused('REJECTED', () => completeTask(rt, hrA, c.id, pause, {}, { actor: actor(USERS.hrA) }), /not waiting for completion/);
      await refused('NOT_FOUND', () => completeTask(rt, hrA, c.id, 'e999', {}, { actor: actor(USERS.hrA) }), /e999/);
      await refused('NOT_FOUND', () => completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), {}, { actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => completeTask(rt, hrA, 'bad-uuid', pause, {}, { actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => completeTask(rt, hrA, NO_CASE, pause, {}, { actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => completeTask(rt, hrB, c.id, pause, {}, { actor: actor(USERS.hrB) }));
      await refused('CONFLICT', () => completeTask(rt, hrA, c.id, pause, {}, { actor: actor(USERS.hrA), expectedVersion: 1 }));
    });

    it('refuses to complete a joint sign-off task, or any task of a finished case', async () => {
      const j = await start({ definitionKey: 'joint', variables: { author: 'a' } });
      await refused('REJECTED', () => completeTask(rt, hrA, j.id, eidOf(j.state, 'approve'), {}, { actor: actor(USERS.hrA) }), /sign-off/);
      await cancelCase(rt, hrA, j.id, 'done with it', { actor: actor(USERS.hrA) });
      await refused('REJECTED', () => completeTask(rt, hrA, j.id, eidOf(j.state, 'approve'), {}, { actor: actor(USERS.hrA) }), /terminated/);
    });
  });

  describe('sign-off', () => {
    it('records approvals, refuses a wrong role, the author, and a return without a comment; a return with a comment sends it back', async () => {
      const c = await start({ definitionKey: 'joint', variables: { author: 'user-author' } });
      const eid = eidOf(c.state, 'approve');
      const so = (role: string, userId: string, decision: 'approve' | 'return', comment?: string) =>
        signOff(rt, hrA, c.id, { eid, role, userId, decision, ...(comment !== undefined ? { comment } : {}) }, { actor: actor(userId) });
      await refused('REJECTED', () => so('headteacher', 'user-x', 'approve'), /not one of the roles/);
      await refused('REJECTED', () => so('role-1', 'user-author', 'approve'), /authored/);
      await refused('REJECTED', () => so('role-1', 'user-x', 'return'), /needs a comment/);
      await refused('REJECTED', () => so('role-1', 'user-x', 'return', '   '), /needs a comment/);
      await refused('REJECTED', () => signOff(rt, hrA, c.id, { eid: 'e999', role: 'role-1', userId: 'user-x', decision: 'approve' }, { actor: actor('user-x') }), /e999/);
      await refused('NOT_FOUND', () => signOff(rt, hrB, c.id, { eid, role: 'role-1', userId: 'user-x', decision: 'approve' }, { actor: actor('user-x') }));
      expect((await so('role-1', 'user-x', 'approve')).ok).toBe(true);
      await refused('REJECTED', () => so('role-1', 'user-y', 'approve'), /already approved/);
      await refused('REJECTED', () => so('role-2', 'user-x', 'approve'), /two roles/);
      const task = await t.db.transaction(SYSTEM, (trx) => trx('tasks').where({ case_id: c.id, eid }).first('signoff', 'status'));
      expect(task.status).toBe('open');
      expect(task.signoff).toMatchObject({ roles: ['role-1', 'role-2', 'role-3', 'role-4', 'role-5'], authorId: 'user-author', signoffs: [expect.objectContaining({ role: 'role-1', userId: 'user-x', decision: 'approve' })] });
      const returned = await so('role-2', 'user-y', 'return', 'Add the attendance figures');
      expect(returned.ok).toBe(true);
      const s = await snapshot(c.id);
      expect(activeElements(s)).toEqual(['revise']);
      expect(s.vars).toMatchObject({ signoffOutcome: 'returned', signoffComment: 'Add the attendance figures', signoffBy: 'user-y' });
      await expectCaseConsistent(rt, c.id);
    });
  });

  describe('correlate-message', () => {
    it('refuses a message nobody waits for, or a key nobody waits with, and writes nothing', async () => {
      await waitingForDocs('REF-only');
      await refused('NOT_FOUND', () => correlateMessage(rt, hrA, { name: 'no-such-message', actor: actor(USERS.hrA) }), /no-such-message/);
      await refused('NOT_FOUND', () => correlateMessage(rt, hrA, { name: 'docs', correlationKey: 'REF-unknown', actor: actor(USERS.hrA) }), /REF-unknown/);
      await refused('NOT_FOUND', () => correlateMessage(rt, hrA, { name: 'docs', actor: actor(USERS.hrA) }));
      // Another LA's case is not there for LA B's messages.
      await refused('NOT_FOUND', () => correlateMessage(rt, hrB, { name: 'docs', correlationKey: 'REF-only', actor: actor(USERS.hrB) }));
    });

    it('with a correlation key, reaches the right one of two waiting cases', async () => {
      const one = await waitingForDocs('REF-1');
      const two = await waitingForDocs('REF-2');
      const v1 = (await caseRow(t.db, one)).version;
      const r = await correlateMessage(rt, hrA, { name: 'docs', correlationKey: 'REF-2', variables: { pages: 3 }, actor: actor(USERS.hrA) });
      expect(r.ok && r.value.caseId).toBe(two);
      expect(activeElements(await snapshot(two))).toEqual(['finish']);
      expect((await snapshot(two)).vars).toMatchObject({ pages: 3 });
      expect((await caseRow(t.db, one)).version).toBe(v1);
      expect(activeElements(await snapshot(one))).toEqual(['docs']);
      // The subscription is gone: the same message again finds nobody.
      await refused('NOT_FOUND', () => correlateMessage(rt, hrA, { name: 'docs', correlationKey: 'REF-2', actor: actor(USERS.hrA) }));
      for (const c of [one, two]) await expectCaseConsistent(rt, c);
    });
  });

  describe('broadcast-signal', () => {
    it('reaches every waiting case, each in its own transaction, and only those the caller may see', async () => {
      const a = await followingUp();
      const b = await followingUp();
      const before = { a: (await caseRow(t.db, a)).version, b: (await caseRow(t.db, b)).version };
      // A case that has already ended but (by a fault) still has a subscription row: its delivery
      // fails, and that failure must not undo the others.
      const ended = await followingUp();
      await cancelCase(rt, hrA, ended, 'ended', { actor: actor(USERS.hrA) });
      await t.db.transaction(SYSTEM, (trx) => trx('subscriptions').insert({ case_id: ended, sub_id: 'stale', kind: 'signal', name: 'nudge', element_id: 'nudge' }));
      const fromB = await broadcastSignal(rt, hrB, 'nudge', {}, actor(USERS.hrB));
      expect(fromB).toEqual({ delivered: [], failed: [] });
      const r = await broadcastSignal(rt, hrA, 'nudge', { nudgedBy: 'hr' }, actor(USERS.hrA));
      expect(r.delivered).toEqual(expect.arrayContaining([a, b]));
      expect(r.failed).toEqual([{ caseId: ended, message: expect.stringMatching(/terminated/) }]);
      for (const [id, v] of [[a, before.a], [b, before.b]] as const) {
        const row = await caseRow(t.db, id);
        expect(row.version).toBe(v + 1);
        expect(activeElements(row.snapshot)).toEqual(['followUp', 'nudged']);
        expect(row.snapshot.vars).toMatchObject({ nudgedBy: 'hr' });
        await expectCaseConsistent(rt, id);
      }
      expect(await broadcastSignal(rt, hrA, 'nobody-listens', {}, actor(USERS.hrA))).toEqual({ delivered: [], failed: [] });
    });
  });

  describe('fire-timer', () => {
    it('fires a due timer: the boundary timer interrupts its task', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 't' } });
      const timer = Object.values(c.state.timers)[0];
      rt.clock.set(timer.dueAt);
      const r = await fireTimer(rt, c.id, timer.timerId);
      rt.clock.set('2026-11-02T09:00:00.000Z');
      expect(r.ok && r.value.version).toBe(2);
      expect(activeElements(await snapshot(c.id))).toEqual(['escalate']);
      const rows = await t.db.transaction(SYSTEM, async (trx) => ({
        timer: await trx('timers').where({ case_id: c.id, timer_id: timer.timerId }).first('status'),
        tasks: await trx('tasks').where({ case_id: c.id }).orderBy('element_id').select('element_id', 'status'),
      }));
      expect(rows).toEqual({ timer: { status: 'fired' }, tasks: [{ element_id: 'classify', status: 'cancelled' }, { element_id: 'escalate', status: 'open' }] });
      await expectCaseConsistent(rt, c.id);
    });

    it('a cancelled, fired or unknown timer is a no-op: no history, no version bump, nothing written', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 't' } });
      const timer = Object.values(c.state.timers)[0];
      await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'b' }, { actor: actor(USERS.hrA) });
      for (const timerId of [timer.timerId, 't999']) {
        const before = await fingerprint(t.db);
        const r = await fireTimer(rt, c.id, timerId);
        expect(r.ok && { version: r.value.version, events: r.value.events }).toEqual({ version: 2, events: [] });
        expect(await fingerprint(t.db)).toEqual(before);
      }
      const pause = Object.values((await snapshot(c.id)).timers)[0];
      expect((await fireTimer(rt, c.id, pause.timerId)).ok).toBe(true);
      const before = await fingerprint(t.db);
      const again = await fireTimer(rt, c.id, pause.timerId);
      expect(again.ok && again.value.events).toEqual([]);
      expect(await fingerprint(t.db)).toEqual(before);
      await refused('NOT_FOUND', () => fireTimer(rt, 'nope', pause.timerId));
      await refused('NOT_FOUND', () => fireTimer(rt, NO_CASE, pause.timerId));
    });

    it('a timer of a case that has ended writes nothing', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 't' } });
      const timer = Object.values(c.state.timers)[0];
      await cancelCase(rt, hrA, c.id, 'withdrawn', { actor: actor(USERS.hrA) });
      const before = await fingerprint(t.db);
      const r = await fireTimer(rt, c.id, timer.timerId);
      // Either a no-op or a refusal; never a change to an ended case.
      if (r.ok) expect(r.value.events).toEqual([]);
      else expect(r.error.code).toBe('REJECTED');
      expect(await fingerprint(t.db)).toEqual(before);
    });
  });

  describe('cancel-case', () => {
    it('ends the case and closes its tasks, timers and subscriptions; a second cancel is refused', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'cx' } });
      const docs = await waitingForDocs('REF-cancel');
      for (const id of [c.id, docs]) {
        const r = await cancelCase(rt, hrA, id, 'the school closed', { actor: actor(USERS.hrA) });
        expect(r.ok && r.value.state.status).toBe('terminated');
        await expectCaseConsistent(rt, id);
        const rows = await t.db.transaction(SYSTEM, async (trx) => ({
          openTasks: await trx('tasks').where({ case_id: id, status: 'open' }).select('eid'),
          pendingTimers: await trx('timers').where({ case_id: id, status: 'pending' }).select('timer_id'),
          subs: await trx('subscriptions').where({ case_id: id }).select('sub_id'),
          last: await trx('case_events').where({ case_id: id }).orderBy('seq', 'desc').first('type', 'payload', 'actor'),
        }));
        expect(rows).toEqual({ openTasks: [], pendingTimers: [], subs: [], last: { type: 'instance.terminated', payload: { reason: 'the school closed' }, actor: { userId: USERS.hrA } } });
        expect((await caseRow(t.db, id)).status).toBe('terminated');
        await refused('REJECTED', () => cancelCase(rt, hrA, id, 'again', { actor: actor(USERS.hrA) }), /terminated/);
      }
    });

    it('refuses a stale version, a bad id and another LA, and writes nothing', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'cy' } });
      await refused('CONFLICT', () => cancelCase(rt, hrA, c.id, 'r', { actor: actor(USERS.hrA), expectedVersion: 3 }));
      await refused('NOT_FOUND', () => cancelCase(rt, hrA, 'x', 'r', { actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => cancelCase(rt, hrB, c.id, 'r', { actor: actor(USERS.hrB) }));
    });
  });

  describe('resolve-incident', () => {
    async function stuckAtGateway(): Promise<{ id: string; incidentId: string }> {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'inc' } });
      const r = await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'c' }, { actor: actor(USERS.hrA) });
      expect(r.ok).toBe(true);
      const s = await snapshot(c.id);
      expect(s.status).toBe('active');
      const incidents = Object.values(s.incidents);
      expect(incidents).toHaveLength(1);
      const row = await t.db.transaction(SYSTEM, (trx) => trx('incidents').where({ case_id: c.id }).select('incident_id', 'element_id', 'status'));
      expect(row).toEqual([{ incident_id: incidents[0].id, element_id: 'route', status: 'open' }]);
      await expectCaseConsistent(rt, c.id);
      return { id: c.id, incidentId: incidents[0].id };
    }

    it('a gateway with no true condition raises an incident; resolving it with variables continues the case', async () => {
      const { id, incidentId } = await stuckAtGateway();
      const r = await resolveIncident(rt, hrA, id, incidentId, { actor: actor(USERS.hrA) }, { route: 'a' });
      expect(r.ok).toBe(true);
      const s = await snapshot(id);
      expect(s.incidents).toEqual({});
      expect(activeElements(s)).toEqual(['docs']);
      const rows = await t.db.transaction(SYSTEM, (trx) => trx('incidents').where({ case_id: id }).select('incident_id', 'status'));
      expect(rows).toEqual([{ incident_id: incidentId, status: 'resolved' }]);
      await expectCaseConsistent(rt, id);
    });

    it('resolving without fixing the cause resolves the incident and raises a new one', async () => {
      const { id, incidentId } = await stuckAtGateway();
      const r = await resolveIncident(rt, hrA, id, incidentId, { actor: actor(USERS.hrA), expectedVersion: 2 });
      expect(r.ok).toBe(true);
      const s = await snapshot(id);
      const open = Object.keys(s.incidents);
      expect(open).toHaveLength(1);
      expect(open[0]).not.toBe(incidentId);
      const rows = await t.db.transaction(SYSTEM, (trx) => trx('incidents').where({ case_id: id }).orderBy('created_at').select('incident_id', 'status'));
      expect(rows).toEqual(expect.arrayContaining([{ incident_id: incidentId, status: 'resolved' }, { incident_id: open[0], status: 'open' }]));
      await expectCaseConsistent(rt, id);
    });

    it('refuses an unknown incident, a stale version, a bad id and another LA, and writes nothing', async () => {
      const { id, incidentId } = await stuckAtGateway();
      await refused('NOT_FOUND', () => resolveIncident(rt, hrA, id, 'i999', { actor: actor(USERS.hrA) }), /i999/);
      await refused('CONFLICT', () => resolveIncident(rt, hrA, id, incidentId, { actor: actor(USERS.hrA), expectedVersion: 1 }));
      await refused('CONFLICT', () => resolveIncident(rt, hrA, id, incidentId, { actor: actor(USERS.hrA), expectedVersion: 1 }, { route: 'a' }));
      await refused('NOT_FOUND', () => resolveIncident(rt, hrA, 'x', incidentId, { actor: actor(USERS.hrA) }));
      await refused('NOT_FOUND', () => resolveIncident(rt, hrB, id, incidentId, { actor: actor(USERS.hrB) }, { route: 'a' }));
    });
  });

  describe('replay and verify', () => {
    it('replays to every seq, and at the last equals the snapshot; verify is clean', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'R' } });
      await completeTask(rt, hrA, c.id, eidOf(c.state, 'classify'), { route: 'a' }, { actor: actor(USERS.hrA) });
      await correlateMessage(rt, hrA, { name: 'docs', correlationKey: 'R', actor: actor(USERS.hrA) });
      const row = await caseRow(t.db, c.id);
      const seqs = await eventSeqs(t.db, c.id);
      expect(row.last_seq).toBe(seqs.length);
      const zero = await replayCase(rt, hrA, c.id, 0);
      expect(zero.ok && canonicalJson(zero.value.state)).toBe(canonicalJson(initialState()));
      for (const seq of seqs) {
        const r = await replayCase(rt, hrA, c.id, seq);
        expect(r.ok && { seq: r.value.seq, events: r.value.events }).toEqual({ seq, events: seqs.length });
        // Replayed to the end of the start command, the case is as the start left it.
        if (seq === c.events) expect(r.ok && canonicalJson(r.value.state)).toBe(canonicalJson(c.state));
      }
      const last = await replayCase(rt, hrA, c.id);
      expect(last.ok && canonicalJson(last.value.state)).toBe(canonicalJson(row.snapshot));
      expect(last.ok && activeElements(last.value.state)).toEqual(['finish']);
      const v = await verifyCase(rt, hrA, c.id);
      expect(v.ok && v.value).toEqual({ caseId: c.id, ok: true, events: seqs.length, lastHash: row.last_hash });
    });

    it('refuses a seq that is not in the history, a bad id and another LA', async () => {
      const c = await start({ definitionKey: 'mixed', variables: { caseRef: 'R2' } });
      const n = (await eventSeqs(t.db, c.id)).length;
      for (const seq of [-1, n + 1, 1.5]) {
        const r = await replayCase(rt, hrA, c.id, seq);
        expect(!r.ok && r.error.code).toBe('INVALID_INPUT');
      }
      for (const [access, id] of [[hrA, 'x'], [hrA, NO_CASE], [hrB, c.id]] as const) {
        const r = await replayCase(rt, access, id);
        expect(!r.ok && r.error.code).toBe('NOT_FOUND');
        const v = await verifyCase(rt, access, id);
        expect(!v.ok && v.error.code).toBe('NOT_FOUND');
      }
    });
  });
});
