// `camau simulate` (cli/simulate.ts) runs the bundled scenarios as the tests do: the scenario
// names its calendar owner and records joint sign-offs with `signOff` steps, and a statechart
// module runs the same scenario file as the BPMN model.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulate } from '../../../cli/simulate.js';
import { BPMN_DIR, SCENARIO_DIR } from './bundled-scenarios.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function run(model: string, scenario: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await simulate(model, scenario, (l) => lines.push(l));
  return { code, lines };
}

const dir = mkdtempSync(join(tmpdir(), 'camau-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A scenario written to a file of its own (these name no further definitions). */
function scenarioFile(json: unknown): string {
  const file = join(dir, `case-${++files}.scenario.json`);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

const plan = join(BPMN_DIR, 'school-intervention-plan.bpmn');

/** The plan drafted and its staff actions signed off: the author may not approve, one person may not sign for two roles. */
const signOffs = {
  clock: '2026-09-07T08:00:00Z',
  calendar: { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' },
  steps: [
    { start: { variables: { caseRef: 'SIP-2026-101', challengeAdviser: 'megan.adviser' } } },
    { complete: 'draftPlan', variables: { plan: 'Raise standards in literacy at key stage 2', staffActions: 'Coaching for two teachers', actions: [] } },
    { signOff: 'agreeStaffActions', role: 'challenge-adviser', userId: 'megan.adviser', decision: 'approve', refused: true },
    { signOff: 'agreeStaffActions', role: 'education-hr-officer', userId: 'rhys.hr', decision: 'approve' },
    { signOff: 'agreeStaffActions', role: 'challenge-adviser', userId: 'rhys.hr', decision: 'approve', refused: true },
    { expect: { active: ['agreeStaffActions'] } },
    { signOff: 'agreeStaffActions', role: 'challenge-adviser', userId: 'dylan.adviser', decision: 'approve' },
    { expect: { active: ['acceptPlan'], variables: { signoffOutcome: 'approved' } } },
  ],
};

it('runs sign-offs on the demo school\'s calendar, and the bundled scenarios as they are', async () => {
  const { code, lines } = await run(plan, scenarioFile(signOffs));
  expect(lines.filter((l) => l.includes('"pass":false'))).toEqual([]);
  expect([lines.at(-1), code]).toEqual(['4 passed, 0 failed', 0]);
  const bundled = await run(join(BPMN_DIR, 'appraisal.bpmn'), join(SCENARIO_DIR, 'appraisal.happy-path.scenario.json'));
  expect([bundled.lines.at(-1), bundled.code]).toEqual(['8 passed, 0 failed', 0]);
});

it('runs one appraisal scenario on the BPMN model and on the statechart', async () => {
  const scenario = join(SCENARIO_DIR, 'appraisal.record-not-in-time-rearranged.scenario.json');
  for (const model of [join(BPMN_DIR, 'appraisal.bpmn'), join(root, 'workflows', 'machines', 'appraisal-statechart.ts')]) {
    const { code, lines } = await run(model, scenario);
    expect([model, lines.at(-1), code]).toEqual([model, '5 passed, 0 failed', 0]);
  }
});

it('fails a sign-off expected to be refused that the engine accepts, naming it', async () => {
  const at = signOffs.steps.findIndex((x) => 'signOff' in x && !('refused' in x));
  const steps = signOffs.steps.map((x, i) => (i === at ? { ...x, refused: true } : x));
  const { code, lines } = await run(plan, scenarioFile({ ...signOffs, steps }));
  expect(code).toBe(1);
  expect(lines.find((l) => l.includes(`"step":${at},`))).toMatch(/was accepted; expected it to be refused/);
});

it('without the calendar owner, school-day deadlines have no calendar', async () => {
  const json = JSON.parse(readFileSync(join(SCENARIO_DIR, 'appraisal.happy-path.scenario.json'), 'utf8')) as Record<string, unknown>;
  delete json.calendar;
  const { code, lines } = await run(join(BPMN_DIR, 'appraisal.bpmn'), scenarioFile(json));
  expect(code).toBe(1);
  expect(lines.join('\n')).toMatch(/calendar-not-loaded/);
});

it('refuses a malformed sign-off step or calendar owner, naming the path', async () => {
  const steps = [{ signOff: 'agreeStaffActions', role: 'challenge-adviser', decision: 'maybe' }];
  const bad = await run(plan, scenarioFile({ calendar: { la: 'carmarthenshire' }, steps }));
  expect(bad.code).toBe(2);
  expect(bad.lines.join('\n')).toMatch(/calendar: Unrecognized key/);
  expect(bad.lines.join('\n')).toMatch(/steps\.0/);
});
