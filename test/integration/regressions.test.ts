// Regressions found by the durable test suites, each on both drivers.
import { readFileSync } from 'node:fs';
import { systemAccess } from '../../db/access.js';
import { deployBpmn } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { correlateMessage } from '../../runtime/commands/correlate-message.js';
import { verifyCase } from '../../runtime/commands/history.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { ORG, seed } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';

const system = systemAccess('test');
const actor = { userId: 'tester' };

describe.each(DRIVERS)('regressions on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    expect((await deployBpmn(rt, readFileSync(new URL('../fixtures/durable/mixed.bpmn', import.meta.url), 'utf8'), 'admin')).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const start = async (variables: Record<string, unknown> = {}) => {
    const r = await startCase(rt, system, { definitionKey: 'mixed', schoolId: ORG.schoolA, variables, actor });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const eidOf = (state: { elements: Record<string, { id: string; el: string }> }, el: string) => Object.values(state.elements).find((e) => e.el === el)!.id;
  const eventCount = async (id: string) => Number((await t.db.transaction(system, (trx) => trx('case_events').where({ case_id: id }).count<{ count: string }[]>('* as count')))[0].count);

  it('a refused incident retry with variables sets no variables', async () => {
    const c = await start();
    const stuck = await completeTask(rt, system, c.caseId, eidOf(c.state, 'classify'), { route: 'c' }, { actor });
    if (!stuck.ok) throw new Error(stuck.error.message);
    expect(Object.keys(stuck.value.state.incidents)).toHaveLength(1);
    const before = await eventCount(c.caseId);
    const r = await resolveIncident(rt, system, c.caseId, 'i999', { actor }, { route: 'a' });
    expect(!r.ok && r.error.code).toBe('NOT_FOUND');
    expect(await eventCount(c.caseId)).toBe(before);
  });

  it('concurrent messages with one key reach every waiting case', async () => {
    const cases = [];
    for (let i = 0; i < 8; i++) {
      const c = await start({ caseRef: 'SAME' });
      const done = await completeTask(rt, system, c.caseId, eidOf(c.state, 'classify'), { route: 'a' }, { actor });
      if (!done.ok) throw new Error(done.error.message);
      cases.push(c.caseId);
    }
    const results = await Promise.all(cases.map(() => correlateMessage(rt, system, { name: 'docs', correlationKey: 'SAME', actor })));
    expect(results.filter((r) => r.ok)).toHaveLength(cases.length);
    expect(new Set(results.map((r) => r.ok && r.value.caseId)).size).toBe(cases.length);
  });

  it('verify reports a deleted tail of the history as a gap', async () => {
    const c = await start();
    await completeTask(rt, system, c.caseId, eidOf(c.state, 'classify'), { route: 'b' }, { actor });
    const total = await eventCount(c.caseId);
    await t.db.knex.transaction(async (trx) => {
      await trx.raw('alter table case_events disable trigger case_events_no_update');
      await trx('case_events').where({ case_id: c.caseId }).andWhere('seq', '>', total - 2).delete();
      await trx.raw('alter table case_events enable trigger case_events_no_update');
    });
    const v = await verifyCase(rt, system, c.caseId);
    expect(v.ok && v.value).toMatchObject({ ok: false, reason: 'gap', seq: total - 1 });
  });

  it('a case starts only at a start event', async () => {
    const r = await startCase(rt, system, { definitionKey: 'mixed', schoolId: ORG.schoolA, startEventId: 'classify', actor });
    expect(!r.ok && r.error.details?.reason).toBe('NO_START_EVENT');
  });
});
