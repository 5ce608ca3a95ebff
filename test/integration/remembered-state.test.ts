// The runtime remembers the state of recent cases and the answers of start-case's lookups, so a
// command can be sent in one round trip (runtime/execute.ts). What it remembers is only ever
// used with a check in the writing transaction: when the case or the lookups changed (another
// runtime, another process), or the caller may not see them, the command must behave exactly
// as if nothing had been remembered. Also: values that need quoting survive the
// multi-statement path (db/connection.ts) unchanged.
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { cancelCase } from '../../runtime/commands/cancel-case.js';
import { claimTask } from '../../runtime/commands/claim-task.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { memoryOf } from '../../runtime/execute.js';
import { readEvents } from '../../db/repositories/events.js';
import { openWaits, type InstanceState } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseRow, durableModel, expectCaseConsistent, fingerprint, SYSTEM } from './durable-checks.js';

const actor = (userId: string) => ({ userId });

describe.each(DRIVERS)('remembered case state on %s', (driver) => {
  let t: TestDb;
  let hrA: Access;
  let hrB: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    const rt = testRuntime(t.db);
    hrA = (await accessFor(rt, USERS.hrA)).access;
    hrB = (await accessFor(rt, USERS.hrB)).access;
    for (const m of ['mixed.bpmn', 'mi-review.bpmn']) expect((await deployBpmn(rt, durableModel(m), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const classifyOf = (state: InstanceState) => openWaits(state).find((e) => e.el === 'classify')!.id;

  it('a command on a case another runtime changed since runs on the case as it is', async () => {
    const rt1 = testRuntime(t.db);
    const rt2 = testRuntime(t.db);
    const started = await startCase(rt1, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, variables: { caseRef: 'r1' }, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const eid = classifyOf(started.value.state);
    // rt1 remembers version 1, with the task free; rt2 claims it for someone else.
    const claimed = await claimTask(rt2, hrA, started.value.caseId, eid, 'someone-else', { actor: actor(USERS.hrA) });
    expect(claimed.ok && claimed.value.version).toBe(2);
    // From rt1's memory the claim would succeed; on the case as it is, it is refused.
    const mine = await claimTask(rt1, hrA, started.value.caseId, eid, USERS.hrA, { actor: actor(USERS.hrA) });
    expect(mine).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    // rt1 now knows version 2; a completion goes through on it, then rt2 (remembering 2) cancels at 4, not 3.
    const done = await completeTask(rt1, hrA, started.value.caseId, eid, { route: 'b' }, { actor: actor(USERS.hrA) });
    expect(done.ok && done.value.version).toBe(3);
    expect((await caseRow(t.db, started.value.caseId)).version).toBe(3);
    const cancelled = await cancelCase(rt2, hrA, started.value.caseId, 'test', { actor: actor(USERS.hrA), expectedVersion: 3 });
    expect(cancelled.ok && cancelled.value.version).toBe(4);
    const stale = await cancelCase(rt1, hrA, started.value.caseId, 'again', { actor: actor(USERS.hrA) });
    expect(stale).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    await expectCaseConsistent(rt1, started.value.caseId);
  });

  it('a remembered case is still invisible to a caller of another LA, and nothing is written', async () => {
    const rt = testRuntime(t.db);
    const started = await startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, variables: { caseRef: 'r2' }, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const before = await fingerprint(t.db);
    const r = await completeTask(rt, hrB, started.value.caseId, classifyOf(started.value.state), { route: 'a' }, { actor: actor(USERS.hrB) });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await fingerprint(t.db)).toEqual(before);
    // The owner's next command still works, on version 1.
    const mine = await completeTask(rt, hrA, started.value.caseId, classifyOf(started.value.state), { route: 'a' }, { actor: actor(USERS.hrA), expectedVersion: 1 });
    expect(mine.ok && mine.value.version).toBe(2);
  });

  it('a start after another runtime deployed a new version starts on the new version', async () => {
    const rt1 = testRuntime(t.db);
    const rt2 = testRuntime(t.db);
    const model = durableModel('mixed.bpmn').replaceAll('mixed', 'mixed-versions');
    expect((await deployBpmn(rt2, model, USERS.adminUser)).ok).toBe(true);
    const first = await startCase(rt1, hrA, { definitionKey: 'mixed-versions', schoolId: ORG.schoolA, variables: { caseRef: 'v' }, actor: actor(USERS.hrA) });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.state.def.version).toBe(1);
    const v2 = await deployBpmn(rt2, model.replace('Classify the concern', 'Classify the concern (v2)'), USERS.adminUser);
    expect(v2.ok && v2.value[0].version).toBe(2);
    const second = await startCase(rt1, hrA, { definitionKey: 'mixed-versions', schoolId: ORG.schoolA, variables: { caseRef: 'v' }, actor: actor(USERS.hrA) });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.state.def.version).toBe(2);
    expect(String((await caseRow(t.db, second.value.caseId)).definition_id)).toBe(String(v2.ok && v2.value[0].id));
    await expectCaseConsistent(rt1, second.value.caseId);
  });

  it('a start for a staff member the caller may not see is refused even when another caller started one', async () => {
    const rt = testRuntime(t.db);
    const mine = await startCase(rt, hrA, { definitionKey: 'mixed', subjectPersonId: PEOPLE.teacherA, variables: { caseRef: 's' }, actor: actor(USERS.hrA) });
    expect(mine.ok).toBe(true);
    const before = await fingerprint(t.db);
    const theirs = await startCase(rt, hrB, { definitionKey: 'mixed', subjectPersonId: PEOPLE.teacherA, variables: { caseRef: 's' }, actor: actor(USERS.hrB) });
    expect(theirs).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('steps a remembered case exactly as one read from the database (same history)', async () => {
    const reviewers = Array.from({ length: 12 }, (_, i) => `reviewer-${i + 1}`);
    // The same commands on two cases: one runtime throughout (remembering), and a fresh runtime for every command (reading).
    const remembering = testRuntime(t.db);
    const histories: Array<Array<{ type: string; payload: unknown }>> = [];
    for (const fresh of [false, true]) {
      const rt = () => (fresh ? testRuntime(t.db) : remembering);
      const started = await startCase(rt(), hrA, { definitionKey: 'mi-review', schoolId: ORG.schoolA, variables: { reviewers }, actor: actor(USERS.hrA) });
      if (!started.ok) throw new Error(started.error.message);
      const id = started.value.caseId;
      const tasks = openWaits(started.value.state).filter((e) => e.el === 'review');
      for (const task of tasks.slice(0, 5)) {
        const r = await completeTask(rt(), hrA, id, task.id, { verdict: `v-${task.id}` }, { actor: actor(USERS.hrA) });
        expect(r.ok).toBe(true);
      }
      expect((await cancelCase(rt(), hrA, id, 'done', { actor: actor(USERS.hrA) })).ok).toBe(true);
      await expectCaseConsistent(remembering, id);
      const events = await t.db.transaction(SYSTEM, (trx) => readEvents(trx, id));
      histories.push(events.map((e) => ({ type: e.type, payload: e.payload })));
    }
    expect(histories[0]).toEqual(histories[1]);
  });

  it('keeps quotes, backslashes, statement separators and any Unicode in values as they were', async () => {
    const rt = testRuntime(t.db);
    const tricky = `it's "quoted" \\ back\\slash \\' ; select 1; -- $1 ? ?? \n\t ŵ ŷ 😀 \u2028 end'`;
    const started = await startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, businessKey: tricky, variables: { caseRef: tricky, [tricky]: [tricky] }, actor: { userId: USERS.hrA, role: tricky } });
    if (!started.ok) throw new Error(started.error.message);
    const row = await caseRow(t.db, started.value.caseId);
    expect(row.business_key).toBe(tricky);
    expect(row.snapshot.vars).toEqual({ caseRef: tricky, [tricky]: [tricky] });
    const events = await t.db.transaction(SYSTEM, (trx) => readEvents(trx, started.value.caseId));
    expect(events[0].actor).toEqual({ userId: USERS.hrA, role: tricky });
    const done = await completeTask(rt, hrA, started.value.caseId, classifyOf(started.value.state), { route: 'b', note: tricky }, { actor: actor(USERS.hrA), expectedVersion: 1 });
    expect(done.ok).toBe(true);
    expect((await caseRow(t.db, started.value.caseId)).snapshot.vars.note).toBe(tricky);
    await expectCaseConsistent(rt, started.value.caseId);
  });

  it('remembers a snapshot with its keys in the order reading it from the database gives', async () => {
    const rt = testRuntime(t.db);
    const variables = { zz: 1, a: { yy: 2, b: 3, '10': 4, '9': 5 }, 'ŵŵ': 6, 'wwww': 7, bb: [{ z: 1, y: 2 }], '2': 8, caseRef: 'o' };
    const started = await startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, variables, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const done = await completeTask(rt, hrA, started.value.caseId, classifyOf(started.value.state), { route: 'b', 'ŷ': 1, aa: 2 }, { actor: actor(USERS.hrA) });
    expect(done.ok).toBe(true);
    const remembered = memoryOf(rt).cases.get(started.value.caseId)!;
    const stored = await caseRow(t.db, started.value.caseId);
    expect(remembered.row.version).toBe(stored.version);
    // JSON.stringify keeps key order: the same text means the same object, key for key, in the same order.
    expect(JSON.stringify(JSON.parse(remembered.snapshot))).toBe(JSON.stringify(stored.snapshot));
  });

  it('refuses a NUL character in a value, as a bound parameter would, and writes nothing', async () => {
    const rt = testRuntime(t.db);
    const before = await fingerprint(t.db);
    await expect(startCase(rt, hrA, { definitionKey: 'mixed', schoolId: ORG.schoolA, businessKey: 'a\u0000b', variables: { caseRef: 'n' }, actor: actor(USERS.hrA) })).rejects.toThrow();
    expect(await fingerprint(t.db)).toEqual(before);
  });
});
