// The appraisal procedure as durable cases on PostgreSQL, in both its versions: the BPMN model
// (key `appraisal`) and the statechart (key `appraisal-statechart`) deploy side by side, count
// their deadlines on Ysgol y Bryn's school days through the runtime's calendars, project the same
// tasks and timers, escalate the same overdue step, and keep histories that verify.
import { readFileSync } from 'node:fs';
import type { Access } from '../../db/access.js';
import { accessFor } from '../../runtime/access.js';
import { deployBpmn, deployMachine } from '../../runtime/commands/deploy-definition.js';
import { startCase } from '../../runtime/commands/start-case.js';
import { completeTask } from '../../runtime/commands/complete-task.js';
import { fireTimer } from '../../runtime/commands/fire-timer.js';
import { DefinitionCache } from '../../runtime/definitions.js';
import { bundledMachines } from '../../workflows/machines/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { PEOPLE, seed, USERS } from '../helpers/seed.js';
import { testRuntime } from '../helpers/runtime.js';
import { SYSTEM, caseProblems, openUserTasks } from './durable-checks.js';

const source = (path: string) => readFileSync(new URL(`../../workflows/${path}`, import.meta.url), 'utf8');
const KEYS = ['appraisal', 'appraisal-statechart'] as const;
const actor = { userId: USERS.hrA };
/** The teacher's user id: the assignee of their own tasks. */
const TEACHER = 'user-teacher-a';

let t: TestDb;
let rt: ReturnType<typeof testRuntime>;
let hr: Access;
const cases: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb('pg');
  await seed(t.db);
  rt = { ...testRuntime(t.db, '2026-09-07T08:00:00.000Z'), definitions: new DefinitionCache(bundledMachines) };
  hr = (await accessFor(rt, USERS.hrA)).access;
  expect((await deployBpmn(rt, source('bpmn/appraisal.bpmn'), USERS.adminUser)).ok).toBe(true);
  expect((await deployMachine(rt, 'appraisal-statechart', source('machines/appraisal-statechart.ts'), USERS.adminUser)).ok).toBe(true);
}, 60_000);
afterAll(async () => t?.drop());

/** The case's open tasks and pending timers as the query projections hold them. */
async function projections(caseId: string) {
  return t.db.transaction(SYSTEM, async (trx) => ({
    tasks: (await trx('tasks').where({ case_id: caseId, status: 'open' }).orderBy('element_id').select('element_id', 'assignee', 'candidate_groups', 'due_at'))
      .map((r) => ({ ...r, due_at: r.due_at ? new Date(r.due_at).toISOString() : null })),
    timers: (await trx('timers').where({ case_id: caseId, status: 'pending' }).orderBy('element_id').select('element_id', 'due_at'))
      .map((r) => ({ ...r, due_at: new Date(r.due_at).toISOString() })),
  }));
}

async function complete(caseId: string, el: string, variables: Record<string, unknown>) {
  const state = (await t.db.transaction(SYSTEM, (trx) => trx('cases').where({ id: caseId }).first('snapshot'))).snapshot;
  const task = openUserTasks(state).find((x) => x.element_id === el);
  if (!task) throw new Error(`no open ${el} in ${caseId}`);
  const r = await completeTask(rt, hr, caseId, task.eid, variables, { actor });
  if (!r.ok) throw new Error(r.error.message);
}

async function fireDue(caseId: string, el: string) {
  const timer = await t.db.transaction(SYSTEM, (trx) => trx('timers').where({ case_id: caseId, element_id: el, status: 'pending' }).first('timer_id', 'due_at'));
  rt.clock.set(new Date(timer.due_at).toISOString());
  const r = await fireTimer(rt, caseId, timer.timer_id);
  if (!r.ok) throw new Error(r.error.message);
}

it('starts both versions for a teacher of Ysgol y Bryn with the same tasks and school-day deadlines', async () => {
  for (const key of KEYS) {
    const r = await startCase(rt, hr, { definitionKey: key, subjectPersonId: PEOPLE.teacherA, variables: { caseRef: `APP-${key}`, appraisee: TEACHER }, actor });
    if (!r.ok) throw new Error(r.error.message);
    cases[key] = r.value.caseId;
  }
  const [bpmn, machine] = await Promise.all(KEYS.map((k) => projections(cases[k])));
  // 20 school days after Mon 7 Sep 2026 is Mon 5 Oct; the reminder 2 school days before, the escalation one after.
  expect(bpmn).toEqual({
    tasks: [{ element_id: 'setObjectives', assignee: null, candidate_groups: ['headteacher'], due_at: '2026-10-05T08:00:00.000Z' }],
    timers: [{ element_id: 'setObjectives__escalation', due_at: '2026-10-06T08:00:00.000Z' }, { element_id: 'setObjectives__reminder1', due_at: '2026-10-01T08:00:00.000Z' }],
  });
  expect(machine).toEqual(bpmn);
});

it('escalates the overdue step to the chair of governors in both', async () => {
  for (const key of KEYS) {
    await fireDue(cases[key], 'setObjectives__reminder1');
    await fireDue(cases[key], 'setObjectives__escalation');
  }
  const [bpmn, machine] = await Promise.all(KEYS.map((k) => projections(cases[k])));
  expect(bpmn.tasks.map((x) => [x.element_id, x.candidate_groups])).toEqual([['setObjectives', ['headteacher']], ['setObjectives__escalation_task', ['chair-of-governors']]]);
  expect(bpmn.timers).toEqual([]);
  expect(machine).toEqual(bpmn);
});

it('gives the teacher the record task with its deadline worked back from the meeting date', async () => {
  for (const key of KEYS) {
    await complete(cases[key], 'setObjectives__escalation_task', {});
    await complete(cases[key], 'setObjectives', { objectives: ['Raise attainment in Year 9 mathematics'] });
  }
  rt.clock.set('2027-05-10T08:00:00.000Z');
  for (const key of KEYS) await complete(cases[key], 'giveNotice', { meetingDate: '2027-06-09' });
  const [bpmn, machine] = await Promise.all(KEYS.map((k) => projections(cases[k])));
  expect(bpmn).toEqual({
    tasks: [{ element_id: 'submitRecord', assignee: TEACHER, candidate_groups: [], due_at: '2027-05-26T16:00:00.000Z' }],
    timers: [{ element_id: 'recordNotInTime', due_at: '2027-05-26T16:00:00.000Z' }, { element_id: 'submitRecord__reminder1', due_at: '2027-05-24T16:00:00.000Z' }],
  });
  expect(machine).toEqual(bpmn);
});

it('keeps histories that replay to the stored state and verify', async () => {
  for (const key of KEYS) expect([key, await caseProblems(rt, cases[key])]).toEqual([key, []]);
});
