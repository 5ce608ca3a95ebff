// Runs the scenarios of the bundled workflows (workflows/bpmn/scenarios/<model>.<case>.scenario.json)
// with the simulator's own runner (engine/simulate/scenario.ts), as `camau simulate` does: the
// world's host lends the engine the bundled calendars of the scenario's `calendar` owner (the demo
// school Ysgol y Bryn, Carmarthenshire), so school-day and working-day timers, due dates and the
// FEEL functions (isSchoolDay, addWorkingDays...) count as they do for a real case there.
//
// A scenario runs on a BPMN model or on a statechart: `runScenarioOn(definitions, file)`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledDmn } from '../../../engine/dmn/index.js';
import type { Definition } from '../../../engine/step.js';
import { parseScenario, runScenario, scenarioWorld, type ExpectationResult } from '../../../engine/simulate/scenario.js';
import type { World } from '../../../engine/simulate/world.js';
import type { CalendarOwner } from '../../../engine/time/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';
import { addDuration, loadDecisions, loadDefinitions } from '../../helpers/scenarios.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const BPMN_DIR = join(root, 'workflows', 'bpmn');
export const SCENARIO_DIR = join(BPMN_DIR, 'scenarios');

/** The demo school the scenarios run for (workflows/demo/seed.ts): its LA's term dates and its INSET days. */
export const SCENARIO_CALENDAR: CalendarOwner = { laId: 'carmarthenshire', schoolId: 'school-ysgol-y-bryn' };

export function bundledModels(): string[] {
  return readdirSync(BPMN_DIR).filter((f) => f.endsWith('.bpmn')).map((f) => f.slice(0, -'.bpmn'.length)).sort();
}

export function scenarioCases(model: string): string[] {
  const prefix = `${model}.`;
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.scenario.json'))
    .map((f) => f.slice(prefix.length, -'.scenario.json'.length))
    .sort();
}

export interface BundledRun {
  world: World;
  expectations: ExpectationResult[];
  /** Failed expectations, refused commands, replay mismatches. */
  problems: string[];
}

/**
 * Runs workflows/bpmn/scenarios/<model>.<case>.scenario.json on workflows/bpmn/<model>.bpmn, with
 * the files its `definitions` lists (relative to the scenarios folder): DMN files whose decisions
 * the model's business-rule tasks call, and other BPMN models.
 */
export async function runBundledScenario(model: string, scenarioCase: string): Promise<BundledRun> {
  const name = `${model}.${scenarioCase}`;
  const { definitions = [] } = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.scenario.json`), 'utf8')) as { definitions?: string[] };
  const extra: Definition[] = [];
  const decisions: CompiledDmn[] = [];
  for (const file of definitions.map((p) => resolve(SCENARIO_DIR, p))) {
    if (file.endsWith('.dmn')) decisions.push(await loadDecisions(file));
    else extra.push(...(await loadDefinitions(file)));
  }
  return runScenarioOn(await loadDefinitions(join(BPMN_DIR, `${model}.bpmn`)), name, { extra, decisions });
}

/** Runs the scenario file `<name>.scenario.json` on the given definitions (a BPMN model's processes, or a statechart). */
export function runScenarioOn(main: Definition[], name: string, more: { extra?: Definition[]; decisions?: CompiledDmn[] } = {}): BundledRun {
  const parsed = parseScenario(JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.scenario.json`), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.message}`);
  const scenario = parsed.scenario;
  if (!scenario.calendar) throw new Error(`${name}: a bundled scenario names its calendar owner (the demo school)`);
  const world = scenarioWorld(scenario, (owner) => ({ calendar: calendarsFor(owner ?? {}) }));
  const result = runScenario(scenario, { main, extra: more.extra ?? [], decisions: more.decisions ?? [], addDuration }, world);
  const problems: string[] = [];
  for (const e of result.expectations) if (!e.pass) problems.push(`step ${e.step} (${e.instance}): ${e.failures.join('; ')}`);
  if (result.replayBroken.length) problems.push(`replay mismatch: ${result.replayBroken.join(', ')}`);
  for (const inst of world.instances.values()) for (const err of inst.errors) problems.push(`rejected command (${inst.alias ?? inst.id}): ${err}`);
  return { world, expectations: result.expectations, problems };
}
