// Property: whatever sequence of runtime commands is applied to a handful of cases (tasks
// completed with random variables, timers fired, sign-offs approved or returned by random users,
// incidents resolved, messages correlated, signals broadcast, tasks claimed, cases cancelled,
// cross-case effects performed), every case touched afterwards has a history that replays to
// its stored snapshot, verifies, has gapless seq, and projections (tasks, timers, subscriptions,
// incidents) that agree with the snapshot. A refused command writes nothing.
import fc from 'fast-check';
import type { Access } from '../../db/access.js';
import { insertUser } from '../../db/repositories/organisations.js';
import { accessFor } from '../../runtime/access.js';
import { assignTask, claimTask, unclaimTask } from '../../runtime/commands/claim-task.js';
import { broadcastSignal } from '../../runtime/commands/broadcast-signal.js';
import { cancelCase } from '../../runtime/commands/cancel-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { correlateMessage } from '../../runtime/commands/correlate-message.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { signOff } from '../../runtime/commands/sign-off.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { performCrossCaseEffects } from '../../runtime/cross-case.js';
import type { Outcome } from '../../runtime/errors.js';
import type { InstanceState } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseProblems, durableModel, fingerprint, SYSTEM } from './durable-checks.js';

const NUM_RUNS = Number(process.env.CAMAU_PROPERTY_RUNS ?? 40);
const MIN_OPS = 6;
const MAX_OPS = 20;

const SCHOOLS = [ORG.schoolA, ORG.schoolA2, ORG.schoolB];
const REFS = ['R0', 'R1', 'R2'];
const PEOPLE = ['u1', 'u2', 'u3'];
const MODELS = ['mixed', 'plan', 'joint', 'mi-review'] as const;

type Op =
  | { kind: 'start'; model: number; school: number; ref: number; n: number; author: number }
  | { kind: 'complete'; pick: number; route: string | null; note: string | null; stale: boolean }
  | { kind: 'fireTimer'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'signOff'; pick: number; user: number; role: number; decision: 'approve' | 'return'; comment: string | null }
  | { kind: 'resolve'; pick: number; route: string | null }
  | { kind: 'correlate'; ref: number | null; pages: number }
  | { kind: 'broadcast'; name: 'nudge' | 'unheard' }
  | { kind: 'claim'; pick: number; user: number; how: 'claim' | 'unclaim' | 'assign' }
  | { kind: 'crossCase' };

const pick = fc.nat(1000);
const startArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constant('start' as const), model: fc.nat(MODELS.length - 1), school: fc.nat(2), ref: fc.nat(2), n: fc.integer({ min: 1, max: 3 }), author: fc.nat(2) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: startArb },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('complete' as const), pick, route: fc.constantFrom('a', 'b', 'c', null), note: fc.option(fc.string({ maxLength: 6 })), stale: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fireTimer' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('signOff' as const), pick, user: fc.nat(PEOPLE.length), role: fc.nat(5), decision: fc.constantFrom('approve' as const, 'return' as const), comment: fc.option(fc.constantFrom('', 'Please add the figures')) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), pick, route: fc.constantFrom('a', 'b', 'c', null) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correlate' as const), ref: fc.option(fc.nat(REFS.length)), pages: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('broadcast' as const), name: fc.constantFrom('nudge' as const, 'unheard' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('claim' as const), pick, user: fc.nat(PEOPLE.length - 1), how: fc.constantFrom('claim' as const, 'unclaim' as const, 'assign' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crossCase' as const }) },
);

const ACCEPTED_REFUSALS = new Set(['REJECTED', 'NOT_FOUND', 'CONFLICT']);

describe.each(DRIVERS)('random command sequences on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let access: Access;
  /** Version of each case when it was last checked. */
  const checked = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    // An officer of both LAs, so one caller reaches every case the sequences make.
    await t.db.transaction(SYSTEM, (trx) => insertUser(trx, { id: 'user-both', display_name: 'Officer of both LAs' }, [
      { role: 'education-hr-officer', organisation_id: ORG.laA },
      { role: 'education-hr-officer', organisation_id: ORG.laB },
    ]));
    access = (await accessFor(rt, 'user-both')).access;
    for (const m of ['mixed.bpmn', 'plan.bpmn', 'review-sub.bpmn', 'joint.bpmn', 'mi-review.bpmn']) expect((await deployBpmn(rt, durableModel(m), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const actor = (userId: string) => ({ userId });
  const nth = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

  async function loadCases(ids: string[]): Promise<Array<{ id: string; version: number; state: InstanceState }>> {
    if (!ids.length) return [];
    const rows = await t.db.transaction(SYSTEM, (trx) => trx('cases').whereIn('id', ids).select('id', 'version', 'snapshot'));
    const byId = new Map(rows.map((r: { id: string; version: number; snapshot: InstanceState }) => [r.id, r]));
    return ids.map((id) => byId.get(id)!).map((r) => ({ id: r.id, version: r.version, state: r.snapshot }));
  }

  type Candidate = { caseId: string; version: number; eid: string; state: InstanceState };

  function userTasks(cases: Array<{ id: string; version: number; state: InstanceState }>, signoff: boolean): Candidate[] {
    const out: Candidate[] = [];
    for (const c of cases) {
      for (const e of Object.values(c.state.elements).sort((a, b) => a.id.localeCompare(b.id))) {
        if (e.wait?.kind === 'userTask' && !!e.wait.task.signoffRoles?.length === signoff) out.push({ caseId: c.id, version: c.version, eid: e.id, state: c.state });
      }
    }
    return out;
  }

  /** Runs one op; returns a refusal code (already checked to have written nothing) or 'ok' / 'skip'. */
  async function run(op: Op, caseIds: string[]): Promise<string> {
    const cases = await loadCases(caseIds);
    const exec = async <T>(f: () => Promise<Outcome<T>>): Promise<string> => {
      const before = await fingerprint(t.db);
      const r = await f();
      if (r.ok) return 'ok';
      if (!ACCEPTED_REFUSALS.has(r.error.code)) throw new Error(`unexpected refusal ${r.error.code}: ${r.error.message} for ${JSON.stringify(op)}`);
      const after = await fingerprint(t.db);
      if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`refused ${JSON.stringify(op)} (${r.error.code}: ${r.error.message}) but the database changed`);
      return r.error.code;
    };
    switch (op.kind) {
      case 'start': {
        const model = MODELS[op.model];
        const variables: Record<string, unknown> = { caseRef: REFS[op.ref], author: PEOPLE[op.author], reviewers: PEOPLE.slice(0, op.n) };
        const r = await startCase(rt, access, { definitionKey: model, schoolId: SCHOOLS[op.school], variables, actor: actor('user-both') });
        if (!r.ok) throw new Error(`start ${model} refused: ${r.error.message}`);
        caseIds.push(r.value.caseId);
        return 'ok';
      }
      case 'complete': {
        const c = nth(userTasks(cases, false), op.pick);
        if (!c) return 'skip';
        const variables: Record<string, unknown> = {};
        if (op.route !== null) variables.route = op.route;
        if (op.note !== null) variables.note = op.note;
        variables.verdict = op.route ?? 'none';
        return exec(() => completeTask(rt, access, c.caseId, c.eid, variables, { actor: actor('user-both'), ...(op.stale ? { expectedVersion: c.version - 1 } : {}) }));
      }
      case 'fireTimer': {
        const timers = cases.flatMap((c) => Object.values(c.state.timers).sort((a, b) => a.timerId.localeCompare(b.timerId)).map((tm) => ({ caseId: c.id, timer: tm })));
        const chosen = nth(timers, op.pick);
        if (!chosen) return 'skip';
        if (Date.parse(chosen.timer.dueAt) > Date.parse(rt.clock.now())) rt.clock.set(chosen.timer.dueAt);
        return exec(() => fireTimer(rt, chosen.caseId, chosen.timer.timerId));
      }
      case 'cancel': {
        const c = nth(cases, op.pick);
        if (!c) return 'skip';
        return exec(() => cancelCase(rt, access, c.id, 'withdrawn at random', { actor: actor('user-both') }));
      }
      case 'signOff': {
        const c = nth(userTasks(cases, true), op.pick);
        if (!c) return 'skip';
        const w = c.state.elements[c.eid].wait;
        const roles = w?.kind === 'userTask' ? w.task.signoffRoles ?? [] : [];
        const role = roles[op.role] ?? 'not-a-signing-role';
        const userId = PEOPLE[op.user] ?? String(c.state.vars.author);
        return exec(() => signOff(rt, access, c.caseId, { eid: c.eid, role, userId, decision: op.decision, ...(op.comment !== null ? { comment: op.comment } : {}) }, { actor: actor(userId) }));
      }
      case 'resolve': {
        const incidents = cases.flatMap((c) => Object.keys(c.state.incidents).sort().map((id) => ({ caseId: c.id, id })));
        const chosen = nth(incidents, op.pick);
        if (!chosen) return 'skip';
        return exec(() => resolveIncident(rt, access, chosen.caseId, chosen.id, { actor: actor('user-both') }, op.route ? { route: op.route } : undefined));
      }
      case 'correlate':
        return exec(() => correlateMessage(rt, access, { name: 'docs', ...(op.ref !== null ? { correlationKey: REFS[op.ref] ?? 'R-unknown' } : {}), variables: { pages: op.pages }, actor: actor('user-both') }));
      case 'broadcast': {
        const r = await broadcastSignal(rt, access, op.name, { nudged: true }, actor('user-both'));
        if (r.failed.length) throw new Error(`signal ${op.name} failed for ${JSON.stringify(r.failed)}`);
        return 'ok';
      }
      case 'claim': {
        const c = nth([...userTasks(cases, false), ...userTasks(cases, true)], op.pick);
        if (!c) return 'skip';
        const user = PEOPLE[op.user];
        const opts = { actor: actor(user) };
        return exec(() => (op.how === 'claim' ? claimTask(rt, access, c.caseId, c.eid, user, opts) : op.how === 'unclaim' ? unclaimTask(rt, access, c.caseId, c.eid, opts) : assignTask(rt, access, c.caseId, c.eid, user, opts)));
      }
      case 'crossCase': {
        await performCrossCaseEffects(rt);
        // Cases started by call activities belong to the sequence too.
        const children: string[] = await t.db.transaction(SYSTEM, (trx) => trx('cases').whereIn('parent_case_id', caseIds).orderBy('created_at').pluck('id'));
        for (const id of children) if (!caseIds.includes(id)) caseIds.push(id);
        return 'ok';
      }
    }
  }

  it('replay equals the snapshot, verify is clean, seq is gapless and the projections agree, after any sequence', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(startArb, { minLength: 1, maxLength: 3 }), fc.array(opArb, { minLength: MIN_OPS, maxLength: MAX_OPS }), async (starts, rest) => {
        const ops = [...starts, ...rest];
        const caseIds: string[] = [];
        for (const op of ops) {
          const o = await run(op, caseIds);
          const key = `${op.kind}:${o}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
        // Every case whose version moved since it was last checked (a broadcast may reach
        // cases of earlier sequences too).
        const rows: Array<{ id: string; version: number }> = await t.db.transaction(SYSTEM, (trx) => trx('cases').select('id', 'version'));
        for (const r of rows) {
          if (checked.get(r.id) === r.version) continue;
          const problems = await caseProblems(rt, r.id);
          if (problems.length) throw new Error(`case ${r.id} after ${JSON.stringify(ops)}:\n${problems.join('\n')}`);
          checked.set(r.id, r.version);
        }
      }),
      { numRuns: NUM_RUNS, seed: Number(process.env.CAMAU_PROPERTY_SEED ?? 20261102), endOnFailure: true },
    );
    if (process.env.CAMAU_PROPERTY_DEBUG) console.log(driver, [...outcomes].sort());
    // The sequences did reach the interesting paths, not only refusals.
    for (const k of ['complete:ok', 'signOff:ok', 'signOff:REJECTED', 'fireTimer:ok', 'resolve:ok', 'correlate:ok', 'cancel:ok', 'claim:ok']) {
      expect({ k, n: (outcomes.get(k) ?? 0) > 0 }).toEqual({ k, n: true });
    }
  }, 120_000);
});
