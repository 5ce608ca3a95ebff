// Runs scenario files against BPMN models for jest, the way `camau simulate` does
// (cli/simulate.ts): compile the model, compile the scenario's extra `definitions` (BPMN, and
// DMN files whose decisions business-rule tasks call), run the
// scenario on a virtual clock, and report failed expectations and replay mismatches.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBpmn, type CompileOptions } from '../../engine/model/compile.js';
import { compileDmn, type CompiledDmn } from '../../engine/dmn/index.js';
import type { BpmnDefinition } from '../../engine/bpmn/step.js';
import type { Diagnostic } from '../../engine/types.js';
import { parseScenario, runScenario, type Scenario, type ScenarioResult } from '../../engine/simulate/scenario.js';
import { World } from '../../engine/simulate/world.js';
import { calendarDays, parseDuration } from '../../engine/time/index.js';

/** test/fixtures/models, where models and their scenarios live. */
export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'models');

export function modelPath(name: string): string {
  return join(MODELS_DIR, `${name}.bpmn`);
}

export function scenarioPath(model: string, scenarioCase: string): string {
  return join(MODELS_DIR, `${model}.${scenarioCase}.scenario.json`);
}

/** The case names of every `<model>.<case>.scenario.json` beside a model, sorted. */
export function scenarioCases(model: string): string[] {
  const prefix = `${model}.`;
  const suffix = '.scenario.json';
  return readdirSync(MODELS_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
    .map((f) => f.slice(prefix.length, -suffix.length))
    .filter((c) => !c.includes('.'))
    .sort();
}

/** Every `[model, case]` pair found in the fixtures folder. */
export function allScenarioFiles(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const f of readdirSync(MODELS_DIR)) {
    const m = /^([^.]+)\.([^.]+)\.scenario\.json$/.exec(f);
    if (m) out.push([m[1], m[2]]);
  }
  return out.sort();
}

export function formatDiagnostics(ds: Diagnostic[]): string {
  return ds.map((d) => `${d.code}${d.elementId ? ` [${d.elementId}]` : ''}: ${d.message}`).join('\n');
}

/** Compiles BPMN XML into one definition per process (version 1), or throws with every diagnostic. */
export async function definitionsFromXml(xml: string, options?: CompileOptions): Promise<BpmnDefinition[]> {
  const compiled = await compileBpmn(xml, options);
  if (!compiled.ok) throw new Error(`model rejected:\n${formatDiagnostics(compiled.failure)}`);
  const c = compiled.value;
  return Object.keys(c.processes).map((key) => ({ kind: 'bpmn' as const, compiled: c, ref: { kind: 'bpmn' as const, key, version: 1, hash: c.hash } }));
}

export async function loadDefinitions(path: string, options?: CompileOptions): Promise<BpmnDefinition[]> {
  return definitionsFromXml(readFileSync(path, 'utf8'), options);
}

/** Compiles a DMN file, or throws with every diagnostic. */
export async function loadDecisions(path: string): Promise<CompiledDmn> {
  const compiled = await compileDmn(readFileSync(path, 'utf8'));
  if (!compiled.ok) throw new Error(`decisions ${path} rejected:\n${formatDiagnostics(compiled.failure)}`);
  return compiled.value;
}

export function readScenario(path: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(`scenario ${path}: ${parsed.message}`);
  return parsed.scenario;
}

export function addDuration(instant: string, duration: string): string | undefined {
  const d = parseDuration(duration);
  if (!d.ok) return undefined;
  const r = calendarDays.add(instant, d.value);
  return r.ok ? r.value : undefined;
}

export interface ScenarioRun {
  result: ScenarioResult;
  /** The world the scenario ran in, for assertions the scenario format cannot express. */
  world: World;
  /** Failed expectations and replay mismatches, one line each (empty when all is well). */
  problems: string[];
}

/** Runs `<model>.<case>.scenario.json` against `<model>.bpmn`. */
export async function runModelScenario(model: string, scenarioCase: string): Promise<ScenarioRun> {
  return runScenarioFiles(modelPath(model), scenarioPath(model, scenarioCase));
}

export async function runScenarioFiles(model: string, scenarioFile: string): Promise<ScenarioRun> {
  const scenario = readScenario(scenarioFile);
  const main = await loadDefinitions(model);
  const extra: BpmnDefinition[] = [];
  const decisions: CompiledDmn[] = [];
  for (const p of scenario.definitions ?? []) {
    const file = isAbsolute(p) ? p : join(dirname(scenarioFile), p);
    if (file.endsWith('.dmn')) decisions.push(await loadDecisions(file));
    else extra.push(...(await loadDefinitions(file)));
  }
  const world = new World(scenario.clock ? new Date(Date.parse(scenario.clock)).toISOString() : '2026-01-01T00:00:00.000Z');
  const result = runScenario(scenario, { main, extra, decisions, addDuration }, world);
  const problems: string[] = [];
  for (const e of result.expectations) if (!e.pass) problems.push(`step ${e.step} (${e.instance}): ${e.failures.join('; ')}`);
  if (result.replayBroken.length) problems.push(`replay mismatch: ${result.replayBroken.join(', ')}`);
  for (const inst of world.instances.values()) for (const err of inst.errors) problems.push(`rejected command (${inst.alias ?? inst.id}): ${err}`);
  return { result, world, problems };
}

/** The instance with this alias (or id), failing loudly when there is none. */
export function instance(world: World, ref: string) {
  const inst = world.find(ref);
  if (!inst) throw new Error(`no instance ${ref}`);
  return inst;
}

/** A check the scenario format cannot express, run after the scenario passed. */
export type ScenarioExtra = (run: ScenarioRun) => void;

/**
 * Registers one jest test per `<model>.<case>.scenario.json` of each model: the scenario must have
 * expectations, all of them must pass, no command may be rejected and replay must reproduce every
 * instance. `extras` (keyed `<model>.<case>`) add assertions.
 */
export function scenarioSuite(models: readonly string[], opts: { extras?: Record<string, ScenarioExtra> } = {}): void {
  const extras = opts.extras ?? {};
  for (const model of models) {
    describe(model, () => {
      const cases = scenarioCases(model);
      test('has scenarios', () => {
        expect(cases.length).toBeGreaterThan(0);
      });
      for (const c of cases) {
        const key = `${model}.${c}`;
        test(c, async () => {
          const run = await runModelScenario(model, c);
          expect(run.problems).toEqual([]);
          expect(run.result.expectations.length).toBeGreaterThan(0);
          extras[key]?.(run);
        });
      }
    });
  }
  test('every extra assertion names an existing scenario', () => {
    const known = new Set(models.flatMap((m) => scenarioCases(m).map((c) => `${m}.${c}`)));
    expect(Object.keys(extras).filter((k) => !known.has(k))).toEqual([]);
  });
}
