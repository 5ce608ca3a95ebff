// Each LA's cases call that LA's own trigger table: the business-rule task names its decision by
// an expression (`decisionId="=triggerDecision"`), the runtime lends it the latest version of
// every deployed decision, and a deploy (of any table) is seen by the next command. Two LAs'
// cases with the same absences reach different outcomes; a table named but not deployed is an
// incident naming it, which deploying the table and retrying resolves.
import { readFileSync } from 'node:fs';
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { deployBpmn, deployDmn } from '../../runtime/commands/deploy-definition.js';
import { resolveIncident } from '../../runtime/commands/resolve-incident.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { openWaits, type InstanceState } from '../../engine/index.js';
import { createTestDb, DRIVERS, type TestDb } from '../helpers/db.js';
import { PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { expectCaseConsistent } from './durable-checks.js';

const TABLE = readFileSync(new URL('../fixtures/dmn/absence-trigger.dmn', import.meta.url), 'utf8');
/** A table with its own id and thresholds: `occasions` or more occasions, or `days` working days. */
const table = (id: string, occasions: number, days: number) =>
  TABLE.replaceAll('absence-trigger', id).replace('<text>&gt;= 3</text>', `<text>&gt;= ${occasions}</text>`).replace('<text>&gt;= 10</text>', `<text>&gt;= ${days}</text>`);

/** The absences are recorded (a user task), then the table the case's triggerDecision names decides. */
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="https://camau.cymru/test">
  <bpmn:process id="la-trigger-check" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="recordAbsences" />
    <bpmn:userTask id="recordAbsences" name="Record the absences">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="education-hr-officer" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="recordAbsences" targetRef="decideTrigger" />
    <bpmn:businessRuleTask id="decideTrigger" name="Decide the trigger">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="=triggerDecision" resultVariable="absenceTrigger" /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f3" sourceRef="decideTrigger" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(DRIVERS)('per-LA decision tables on %s', (driver) => {
  let t: TestDb;
  let rt: ReturnType<typeof testRuntime>;
  let sirGar: Access;
  let abertawe: Access;

  beforeAll(async () => {
    t = await createTestDb(driver);
    await seed(t.db);
    rt = testRuntime(t.db);
    sirGar = (await accessFor(rt, USERS.hrA)).access;
    abertawe = (await accessFor(rt, USERS.hrB)).access;
    expect((await deployBpmn(rt, MODEL, USERS.adminUser)).ok).toBe(true);
    // The bundled default (3 occasions or 10 days) and Swansea's own (4 occasions or 8 days).
    expect((await deployDmn(rt, TABLE, USERS.adminUser)).ok).toBe(true);
    expect((await deployDmn(rt, table('absence-trigger-abertawe', 4, 8), USERS.adminUser)).ok).toBe(true);
  }, 60_000);
  afterAll(async () => t?.drop());

  const la = () => ({
    sirGar: { access: sirGar, person: PEOPLE.teacherA, actor: { userId: USERS.hrA }, triggerDecision: 'absence-trigger' },
    abertawe: { access: abertawe, person: PEOPLE.teacherB, actor: { userId: USERS.hrB }, triggerDecision: 'absence-trigger-abertawe' },
  });

  /** Starts a case for the LA's teacher, naming a table, then records the absences: the table decides. */
  async function decide(who: 'sirGar' | 'abertawe', absences: { occasions: number; workingDaysAbsent: number }, triggerDecision = la()[who].triggerDecision): Promise<{ id: string; state: InstanceState }> {
    const { access, person, actor } = la()[who];
    const started = await startCase(rt, access, { definitionKey: 'la-trigger-check', subjectPersonId: person, variables: { triggerDecision }, actor });
    if (!started.ok) throw new Error(started.error.message);
    const task = openWaits(started.value.state).find((w) => w.el === 'recordAbsences')!;
    const done = await completeTask(rt, access, started.value.caseId, task.id, absences, { actor });
    if (!done.ok) throw new Error(done.error.message);
    return { id: started.value.caseId, state: done.value.state };
  }

  test('the same absences meet one LA\'s trigger and not the other\'s', async () => {
    const threeOccasions = { occasions: 3, workingDaysAbsent: 2 };
    const eightDays = { occasions: 1, workingDaysAbsent: 8 };
    const cases = [
      await decide('sirGar', threeOccasions),
      await decide('abertawe', threeOccasions),
      await decide('sirGar', eightDays),
      await decide('abertawe', eightDays),
    ];
    expect(cases.map((c) => [c.state.status, c.state.vars.absenceTrigger])).toEqual([
      ['completed', { trigger: true, stage: 'stage-1' }],
      ['completed', { trigger: false, stage: 'none' }],
      ['completed', { trigger: false, stage: 'none' }],
      ['completed', { trigger: true, stage: 'stage-1' }],
    ]);
    for (const c of cases) await expectCaseConsistent(rt, c.id);
  });

  test('a new version of one LA\'s table decides that LA\'s next evaluation; the other LA\'s table is untouched', async () => {
    const absences = { occasions: 3, workingDaysAbsent: 2 };
    expect((await decide('abertawe', absences)).state.vars.absenceTrigger).toEqual({ trigger: false, stage: 'none' });
    const v2 = await deployDmn(rt, table('absence-trigger-abertawe', 3, 8), USERS.adminUser);
    expect(v2).toMatchObject({ ok: true, value: [{ key: 'absence-trigger-abertawe', version: 2, created: true }] });
    expect((await decide('abertawe', absences)).state.vars.absenceTrigger).toEqual({ trigger: true, stage: 'stage-1' });
    expect((await decide('sirGar', { occasions: 1, workingDaysAbsent: 8 })).state.vars.absenceTrigger).toEqual({ trigger: false, stage: 'none' });
  });

  test('a table that is not deployed is an incident naming it; deploying it and retrying decides', async () => {
    const c = await decide('sirGar', { occasions: 2, workingDaysAbsent: 6 }, 'absence-trigger-sir-gar');
    const [incident] = Object.values(c.state.incidents);
    expect(incident).toMatchObject({ code: 'decision-not-found', el: 'decideTrigger', message: 'Decision "absence-trigger-sir-gar" called by decideTrigger is not deployed' });
    expect((await deployDmn(rt, table('absence-trigger-sir-gar', 2, 6), USERS.adminUser)).ok).toBe(true);
    const resolved = await resolveIncident(rt, sirGar, c.id, incident.id, { actor: { userId: USERS.hrA } });
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(resolved.value.state.incidents).toEqual({});
    expect([resolved.value.state.status, resolved.value.state.vars.absenceTrigger]).toEqual(['completed', { trigger: true, stage: 'stage-1' }]);
    await expectCaseConsistent(rt, c.id);
  });
});
