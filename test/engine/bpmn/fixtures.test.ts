// The fixture models themselves: every model compiles (models drawn in Camunda Modeler must
// deploy unchanged), every scenario file is valid, and every scenario is run by one of the
// test files (suites.ts), so none is silently left out.
import { readdirSync } from 'node:fs';
import { allScenarioFiles, loadDefinitions, MODELS_DIR, modelPath, readScenario, scenarioPath } from '../../helpers/scenarios.js';
import { ACTIVITY_MODELS, BOUNDARY_MODELS, CALLED_MODELS, EVENT_MODELS, GATEWAY_MODELS } from './suites.js';

const MODELS = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.bpmn')).map((f) => f.slice(0, -'.bpmn'.length)).sort();
const RUN: readonly string[] = [...GATEWAY_MODELS, ...BOUNDARY_MODELS, ...EVENT_MODELS, ...ACTIVITY_MODELS];

describe('fixture models', () => {
  test.each(MODELS)('%s compiles', async (model) => {
    const defs = await loadDefinitions(modelPath(model));
    expect(defs.length).toBeGreaterThan(0);
    expect(defs.some((d) => d.compiled.executable.includes(d.ref.key))).toBe(true);
  });


  test('every model is run by a test file or called by one', () => {
    const used = new Set<string>([...RUN, ...CALLED_MODELS]);
    expect(MODELS.filter((m) => !used.has(m))).toEqual([]);
    expect([...used].filter((m) => !MODELS.includes(m))).toEqual([]);
  });

  test('every scenario belongs to a model that a test file runs', () => {
    expect(allScenarioFiles().filter(([model]) => !RUN.includes(model))).toEqual([]);
  });


  test.each(allScenarioFiles())('%s.%s is a valid scenario', (model, c) => {
    const s = readScenario(scenarioPath(model, c));
    expect(s.steps.some((st) => 'expect' in st)).toBe(true);
    expect('start' in s.steps[0]).toBe(true);
  });
});
