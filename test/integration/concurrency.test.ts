// Many commands on one case at once: they serialise on the case row, so every accepted
// command's effect is in the final state (no lost update), the history stays gapless and
// verifiable, and a loser is told why (CONFLICT for a stale expected version, REJECTED when the
// command no longer fits the case).
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import type { Outcome } from '../../runtime/errors.js';
import type { CaseChange } from '../../runtime/execute.js';
import { openWaits, type InstanceState } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseRow, durableModel, eventSeqs, expectCaseConsistent, SYSTEM } from './durable-checks.js';

const N = 50;
const actor = (userId: string) => ({ userId });

describe.each(DRIVERS)('concurrent commands on one case on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let hrA: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    hrA = (await accessFor(rt, USERS.hrA)).access;
    for (const m of ['mi-review.bpmn', 'joint.bpmn']) expect((await deployBpmn(rt, durableModel(m), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const reviewers = Array.from({ length: N }, (_, i) => `reviewer-${String(i + 1).padStart(2, '0')}`);

  async function startReview(): Promise<{ id: string; tasks: Array<{ eid: string; reviewer: string }>; state: InstanceState }> {
    const started = await startCase(rt, hrA, { definitionKey: 'mi-review', schoolId: ORG.schoolA, variables: { reviewers }, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const tasks = openWaits(started.value.state).filter((e) => e.el === 'review').map((e) => ({ eid: e.id, reviewer: String(e.vars?.reviewer) }));
    expect(tasks).toHaveLength(N);
    return { id: started.value.caseId, tasks, state: started.value.state };
  }

  /** Outputs collected so far by the multi-instance body (the output collection is set when it completes). */
  const loopOutputs = (state: InstanceState) => (Object.values(state.elements).find((e) => e.el === 'review' && e.loop)?.loop?.outputs ?? []).filter((v) => v != null);
  const verdictsOf = (state: InstanceState) => (state.vars.verdicts as Array<{ by: string; verdict: string }>).map((v) => `${v.by}:${v.verdict}`).sort();

  it(`${N} concurrent completions of a parallel multi-instance task without an expected version are all applied`, async () => {
    const { id, tasks } = await startReview();
    const before = await caseRow(t.db, id);
    const results = await Promise.all(tasks.map((task) => completeTask(rt, hrA, id, task.eid, { verdict: `ok-${task.reviewer}` }, { actor: actor(task.reviewer) })));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // Each accepted command got its own version: serialised, one after another.
    const versions = results.map((r) => (r.ok ? r.value.version : 0)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: N }, (_, i) => before.version + i + 1));
    const after = await caseRow(t.db, id);
    expect(after.version).toBe(before.version + N);
    expect(verdictsOf(after.snapshot)).toEqual(reviewers.map((r) => `${r}:ok-${r}`).sort());
    expect(openWaits(after.snapshot).map((e) => e.el)).toEqual(['summarise']);
    const seqs = await eventSeqs(t.db, id);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    await expectCaseConsistent(rt, id);
  }, 60_000);

  it(`${N} concurrent completions with the same expected version: one wins, the rest get CONFLICT and write nothing`, async () => {
    const { id, tasks } = await startReview();
    const before = await caseRow(t.db, id);
    const eventsBefore = (await eventSeqs(t.db, id)).length;
    const results = await Promise.all(tasks.map((task) => completeTask(rt, hrA, id, task.eid, { verdict: 'first' }, { actor: actor(task.reviewer), expectedVersion: before.version })));
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r): r is Extract<Outcome<CaseChange>, { ok: false }> => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(N - 1);
    for (const l of lost) expect(l.error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: before.version + 1 } });
    const after = await caseRow(t.db, id);
    expect(after.version).toBe(before.version + 1);
    expect(loopOutputs(after.snapshot)).toHaveLength(1);
    const winnerEvents = won[0].ok ? won[0].value.events.length : 0;
    expect((await eventSeqs(t.db, id)).length).toBe(eventsBefore + winnerEvents);
    await expectCaseConsistent(rt, id);
  }, 60_000);

  it(`${N} racing callers that retry on CONFLICT all get their completion in, exactly once each`, async () => {
    const { id, tasks } = await startReview();
    let conflicts = 0;
    const completeWithRetry = async (task: { eid: string; reviewer: string }) => {
      for (let attempt = 0; attempt < 500; attempt++) {
        const seen = await caseRow(t.db, id);
        const r = await completeTask(rt, hrA, id, task.eid, { verdict: `v-${task.reviewer}` }, { actor: actor(task.reviewer), expectedVersion: seen.version });
        if (r.ok) return r;
        if (r.error.code !== 'CONFLICT') return r;
        conflicts++;
      }
      throw new Error(`${task.reviewer} never got through`);
    };
    // Half the callers pass the version they saw (and retry on conflict), half pass none.
    const results = await Promise.all(tasks.map((task, i) => (i % 2 === 0 ? completeWithRetry(task) : completeTask(rt, hrA, id, task.eid, { verdict: `v-${task.reviewer}` }, { actor: actor(task.reviewer) }))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    if (driver === 'pg') expect(conflicts).toBeGreaterThan(0);
    const after = await caseRow(t.db, id);
    expect(after.version).toBe(1 + N);
    expect(verdictsOf(after.snapshot)).toEqual(reviewers.map((r) => `${r}:v-${r}`).sort());
    await expectCaseConsistent(rt, id);
  }, 120_000);

  it(`${N} concurrent completions of the same task: one completes it, the others are told it is gone`, async () => {
    const { id, tasks } = await startReview();
    const target = tasks[7];
    const results = await Promise.all(Array.from({ length: N }, (_, i) => completeTask(rt, hrA, id, target.eid, { verdict: `attempt-${i}` }, { actor: actor(target.reviewer) })));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'UNKNOWN_ELEMENT_INSTANCE' } });
    const after = await caseRow(t.db, id);
    expect(after.version).toBe(2);
    const verdicts = loopOutputs(after.snapshot);
    expect(verdicts).toEqual([expect.objectContaining({ by: target.reviewer })]);
    await expectCaseConsistent(rt, id);
  }, 60_000);

  it(`${N} concurrent claims of one task: exactly one holder, the rest REJECTED`, async () => {
    const { id, tasks } = await startReview();
    // Assignees come from the model; unclaim the first task so it is free to claim.
    const target = tasks[0];
    expect((await unclaimTask(rt, hrA, id, target.eid, { actor: actor(USERS.hrA) })).ok).toBe(true);
    const claimers = Array.from({ length: N }, (_, i) => `claimer-${i}`);
    const results = await Promise.all(claimers.map((u) => claimTask(rt, hrA, id, target.eid, u, { actor: actor(u) })));
    const won = results.map((r, i) => (r.ok ? claimers[i] : null)).filter(Boolean);
    expect(won).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.error).toMatchObject({ code: 'REJECTED', message: expect.stringContaining(`already claimed by ${won[0]}`) });
    const row = await t.db.transaction(SYSTEM, (trx) => trx('tasks').where({ case_id: id, eid: target.eid }).first('assignee'));
    expect(row.assignee).toBe(won[0]);
    await expectCaseConsistent(rt, id);
  }, 60_000);

  it(`${N} concurrent sign-offs by five roles with many duplicates: each role approves once, the rest are REJECTED or CONFLICT`, async () => {
    const started = await startCase(rt, hrA, { definitionKey: 'joint', schoolId: ORG.schoolA, variables: { author: 'user-author' }, actor: actor(USERS.hrA) });
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.caseId;
    const approve = openWaits(started.value.state).find((e) => e.el === 'approve')!.id;
    // Ten attempts per role: five different users, each twice; and the author tries too.
    const attempts = Array.from({ length: N }, (_, i) => {
      const role = `role-${(i % 5) + 1}`;
      const userId = i === N - 1 ? 'user-author' : `${role}-user-${Math.floor(i / 10)}`;
      return { role, userId };
    });
    // Every third caller passes the version it saw when the case started.
    const results = await Promise.all(attempts.map((a, i) => signOff(rt, hrA, id, { eid: approve, role: a.role, userId: a.userId, decision: 'approve' }, { actor: actor(a.userId), ...(i % 3 === 0 ? { expectedVersion: 1 } : {}) })));
    const accepted = attempts.filter((_, i) => results[i].ok);
    // Serialised: the first approval of each role is accepted, every later one refused.
    expect(accepted.map((a) => a.role).sort()).toEqual(['role-1', 'role-2', 'role-3', 'role-4', 'role-5']);
    expect(accepted.map((a) => a.userId)).not.toContain('user-author');
    results.forEach((r, i) => {
      if (r.ok) return;
      // A stale expected version is a conflict; otherwise the sign-off no longer fits the task.
      if (i % 3 === 0 && r.error.code === 'CONFLICT') expect(r.error.details).toMatchObject({ currentVersion: expect.any(Number) });
      else expect(r.error.code).toBe('REJECTED');
    });
    expect(results.filter((r) => !r.ok && r.error.code === 'CONFLICT').length).toBeGreaterThan(0);
    const after = await caseRow(t.db, id);
    expect(after.version).toBe(1 + 5);
    expect(after.snapshot.vars).toMatchObject({ signoffOutcome: 'approved' });
    expect([...(after.snapshot.vars.signoffBy as string[])].sort()).toEqual(accepted.map((a) => a.userId).sort());
    expect(openWaits(after.snapshot).map((e) => e.el)).toEqual(['publish']);
    const task = await t.db.transaction(SYSTEM, (trx) => trx('tasks').where({ case_id: id, eid: approve }).first('status', 'signoff'));
    expect(task.status).toBe('completed');
    expect((task.signoff.signoffs as Array<{ role: string; userId: string }>).map((s) => `${s.role}/${s.userId}`).sort()).toEqual(accepted.map((a) => `${a.role}/${a.userId}`).sort());
    await expectCaseConsistent(rt, id);
  }, 60_000);

  it('concurrent deploys of one new source store it once; of different sources, give distinct versions', async () => {
    const base = durableModel('joint.bpmn').replace(/id="joint"/, 'id="joint-race"');
    const same = await Promise.all(Array.from({ length: 10 }, () => deployBpmn(rt, base, USERS.adminUser)));
    const sameValues = same.map((r) => (r.ok ? r.value[0] : null));
    expect(sameValues.filter((v) => v?.created)).toHaveLength(1);
    expect(new Set(sameValues.map((v) => v?.version))).toEqual(new Set([1]));
    const different = await Promise.all(Array.from({ length: 10 }, (_, i) => deployBpmn(rt, base.replace('Publish the report', `Publish the report ${i}`), USERS.adminUser)));
    const versions = different.map((r) => (r.ok ? r.value[0].version : 0)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    const stored = await t.db.transaction(SYSTEM, (trx) => trx('definitions').where({ key: 'joint-race' }).count<Array<{ count: string }>>('* as count'));
    expect(Number(stored[0].count)).toBe(11);
  }, 60_000);
});
