// The sickness-absence trigger table (test/fixtures/dmn/absence-trigger.dmn, as Camunda Modeler
// saves it) and the models that call it from a business-rule task, in the Zeebe and the Camunda 7
// flavour: each scenario beside them runs on the simulator with the table deployed.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateDecision } from '../../../engine/dmn/index.js';
import { loadDecisions, runScenarioFiles } from '../../helpers/scenarios.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'dmn');
const SCENARIOS = readdirSync(DIR).filter((f) => f.endsWith('.scenario.json')).sort();
const env = { now: '2026-11-02T09:00:00.000Z' };

describe('absence-trigger.dmn', () => {
  test.each([
    [{ occasions: 0, workingDaysAbsent: 0 }, false, 'none', 'DecisionRule_none'],
    [{ occasions: 2, workingDaysAbsent: 9 }, false, 'none', 'DecisionRule_none'],
    [{ occasions: 3, workingDaysAbsent: 0 }, true, 'stage-1', 'DecisionRule_occasions'],
    [{ occasions: 0, workingDaysAbsent: 10 }, true, 'stage-1', 'DecisionRule_days'],
    [{ occasions: 4, workingDaysAbsent: 12 }, true, 'stage-1', 'DecisionRule_occasions'],
    [{ occasions: 1, workingDaysAbsent: 20 }, true, 'long-term', 'DecisionRule_long_term'],
    [{}, false, 'none', 'DecisionRule_none'],
  ])('%j -> trigger %s, stage %s', async (vars, trigger, stage, rule) => {
    const dmn = await loadDecisions(join(DIR, 'absence-trigger.dmn'));
    expect(evaluateDecision(dmn.decisions['absence-trigger'], vars, env)).toEqual({ ok: true, value: { trigger, stage }, matchedRules: [rule], results: [{ trigger, stage }] });
  });
});

describe('models calling absence-trigger', () => {
  test('there are scenarios for both flavours', () => {
    expect(SCENARIOS.filter((f) => f.startsWith('absence-trigger-zeebe.')).length).toBeGreaterThan(3);
    expect(SCENARIOS.filter((f) => f.startsWith('absence-trigger-camunda.')).length).toBeGreaterThan(3);
  });

  test.each(SCENARIOS)('%s', async (file) => {
    const model = join(DIR, `${file.split('.')[0]}.bpmn`);
    const run = await runScenarioFiles(model, join(DIR, file));
    expect(run.problems).toEqual([]);
    expect(run.result.expectations.length).toBeGreaterThan(0);
  });

  test.each(['zeebe', 'camunda'])('without the table deployed, the %s task raises decision-not-found', async (flavour) => {
    const run = await runScenarioFiles(join(DIR, `absence-trigger-${flavour}.bpmn`), join(DIR, `absence-trigger-${flavour}.not-deployed.scenario.json`));
    const [inst] = [...run.world.instances.values()];
    expect(Object.values(inst.state.incidents)).toEqual([expect.objectContaining({ code: 'decision-not-found', el: 'Task_decideTrigger', message: expect.stringContaining('"absence-trigger"') })]);
  });
});
