// DMN decisions deployed like processes: the sickness-absence trigger table is deployed beside
// the models that call it, cases run through the business-rule task, and an LA's edited table
// (a new version of the same decision) changes the outcome of every later evaluation while the
// cases that already evaluated keep their result.
import { readFileSync } from 'node:fs';
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn, deployDmn } from '../../runtime/commands/deploy-definition.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { activeElements, openWaits, type InstanceState } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { caseRow, expectCaseConsistent, SYSTEM } from './durable-checks.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/dmn/${name}`, import.meta.url), 'utf8');
const TABLE = fixture('absence-trigger.dmn');
/** The LA's edit in Camunda Modeler: 4 occasions (not 3) or 8 working days (not 10). */
const EDITED = TABLE.replace('<text>&gt;= 3</text>', '<text>&gt;= 4</text>').replace('<text>&gt;= 10</text>', '<text>&gt;= 8</text>');
const actor = { userId: USERS.hrA };

describe.each(DRIVERS)('DMN decisions on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let hr: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    hr = (await accessFor(rt, USERS.hrA)).access;
    for (const m of ['absence-trigger-zeebe.bpmn', 'absence-trigger-camunda.bpmn']) expect((await deployBpmn(rt, fixture(m), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  async function start(process: string, variables: Record<string, unknown>): Promise<{ id: string; state: InstanceState }> {
    const r = await startCase(rt, hr, { definitionKey: process, subjectPersonId: PEOPLE.teacherA, variables, actor });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return { id: r.value.caseId, state: r.value.state };
  }

  test('a DMN file deploys as one definition per decision; the same source again is the same version', async () => {
    const first = await deployDmn(rt, TABLE, USERS.adminUser);
    expect(first).toMatchObject({ ok: true, value: [{ key: 'absence-trigger', version: 1, created: true }] });
    expect(await deployDmn(rt, TABLE, USERS.adminUser)).toMatchObject({ ok: true, value: [{ key: 'absence-trigger', version: 1, created: false }] });
    const row = await t.db.transaction(SYSTEM, (trx) => trx('definitions').where({ key: 'absence-trigger' }).first('kind', 'source'));
    expect(row).toEqual({ kind: 'dmn', source: TABLE });
  });

  test('a file with errors is refused with every diagnostic, and nothing is stored', async () => {
    const broken = TABLE.replace('<text>&gt;= 20</text>', '<text>&gt;= </text>').replace('<text>workingDaysAbsent</text>', '<text>workingDaysAbsent +</text>');
    const r = await deployDmn(rt, broken, USERS.adminUser);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_MODEL');
    expect((r.error.details?.diagnostics as Array<{ elementId: string }>).map((d) => d.elementId).sort()).toEqual(['LiteralExpression_1b8mh0t', 'UnaryTests_0j9qg3r']);
  });

  test.each(['absence-trigger-zeebe', 'absence-trigger-camunda'])('%s: a case runs through the business-rule task', async (process) => {
    const c = await start(process, { occasions: 3, workingDaysAbsent: 2 });
    expect(c.state.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });
    expect(activeElements(c.state)).toEqual(['Task_stage1Meeting']);
    const meeting = openWaits(c.state).find((w) => w.el === 'Task_stage1Meeting')!;
    const done = await completeTask(rt, hr, c.id, meeting.id, {}, { actor });
    expect(done.ok && done.value.state.status).toBe('completed');
    await expectCaseConsistent(rt, c.id);
  });

  test('deploying the edited table makes a new version that decides later evaluations; earlier cases keep their result', async () => {
    const before = await start('absence-trigger-zeebe', { occasions: 3, workingDaysAbsent: 8 });
    expect(before.state.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });

    const v2 = await deployDmn(rt, EDITED, USERS.adminUser);
    expect(v2).toMatchObject({ ok: true, value: [{ key: 'absence-trigger', version: 2, created: true }] });

    const after = await start('absence-trigger-zeebe', { occasions: 3, workingDaysAbsent: 2 });
    expect(after.state.vars.absenceTrigger).toEqual({ trigger: false, stage: 'none' });
    expect(after.state.status).toBe('completed');
    const eightDays = await start('absence-trigger-camunda', { occasions: 0, workingDaysAbsent: 8 });
    expect(eightDays.state.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });

    expect((await caseRow(t.db, before.id)).snapshot.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });
    for (const c of [before, after, eightDays]) await expectCaseConsistent(rt, c.id);
  });

  test('a decision that is not deployed is an incident; deploying it and resolving the incident runs the task', async () => {
    const model = fixture('absence-trigger-zeebe.bpmn').replaceAll('absence-trigger-zeebe', 'absence-check-powys').replace('decisionId="absence-trigger"', 'decisionId="absence-trigger-powys"');
    expect((await deployBpmn(rt, model, USERS.adminUser)).ok).toBe(true);
    const c = await start('absence-check-powys', { occasions: 5, workingDaysAbsent: 1 });
    const [incident] = Object.values(c.state.incidents);
    expect(incident).toMatchObject({ code: 'decision-not-found', el: 'Task_decideTrigger', message: 'Decision "absence-trigger-powys" called by Task_decideTrigger is not deployed' });
    await expectCaseConsistent(rt, c.id);

    expect((await deployDmn(rt, TABLE.replaceAll('absence-trigger', 'absence-trigger-powys'), USERS.adminUser)).ok).toBe(true);
    const resolved = await resolveIncident(rt, hr, c.id, incident.id, { actor });
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(resolved.value.state.incidents).toEqual({});
    expect(resolved.value.state.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });
    expect(activeElements(resolved.value.state)).toEqual(['Task_stage1Meeting']);
    await expectCaseConsistent(rt, c.id);
  });

  test('decisions and processes share one key space, and a decision does not start cases', async () => {
    const clash = await deployDmn(rt, TABLE.replaceAll('absence-trigger', 'absence-trigger-zeebe'), USERS.adminUser);
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const r = await startCase(rt, hr, { definitionKey: 'absence-trigger', subjectPersonId: PEOPLE.teacherA, actor });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('DMN decision') } });
  });
});
