// `camau simulate <model> --scenario <scenario.json>`: runs a scenario on a virtual clock,
// prints the trace as JSON lines, then "N passed, M failed"; exits 0 only if all passed.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parseScenario, runScenario, scenarioWorld } from '../engine/simulate/scenario.js';
import { calendarDays, parseDuration } from '../engine/time/index.js';
import { calendarsFor } from '../workflows/calendars/index.js';
import { formatDiagnostics, loadModel } from './models.js';

/**
 * School days are counted on the term dates of the scenario's `calendar` owner (an LA key of
 * workflows/calendars and a school id); working days and calendar days need no owner.
 */
export async function simulate(modelPath: string, scenarioPath: string, out: (line: string) => void): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(scenarioPath, 'utf8'));
  } catch (e) {
    out(`scenario ${scenarioPath}: ${(e as Error).message}`);
    return 2;
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) {
    out(`scenario ${scenarioPath}: ${parsed.message}`);
    return 2;
  }
  const main = await loadModel(modelPath);
  if (!main.ok) {
    out(`model ${modelPath} was rejected:\n${formatDiagnostics(main.diagnostics)}`);
    return 2;
  }
  const extra = [];
  const decisions = [];
  for (const p of parsed.scenario.definitions ?? []) {
    const loaded = await loadModel(isAbsolute(p) ? p : join(dirname(scenarioPath), p));
    if (!loaded.ok) {
      out(`model ${p} was rejected:\n${formatDiagnostics(loaded.diagnostics)}`);
      return 2;
    }
    extra.push(...loaded.definitions);
    if (loaded.decisions) decisions.push(loaded.decisions);
  }
  const world = scenarioWorld(parsed.scenario, (owner) => ({ calendar: calendarsFor(owner ?? {}) }));
  const result = runScenario(parsed.scenario, {
    main: main.definitions,
    extra,
    decisions,
    addDuration(instant, duration) {
      const d = parseDuration(duration);
      if (!d.ok) return undefined;
      const r = calendarDays.add(instant, d.value);
      return r.ok ? r.value : undefined;
    },
  }, world);
  for (const line of result.trace) out(JSON.stringify(line));
  for (const e of result.expectations) {
    out(JSON.stringify({ kind: 'expectation', step: e.step, instance: e.instance, pass: e.pass, ...(e.failures.length ? { failures: e.failures } : {}) }));
  }
  if (result.replayBroken.length) out(JSON.stringify({ kind: 'replay-mismatch', instances: result.replayBroken }));
  out(`${result.passed} passed, ${result.failed} failed`);
  return result.failed === 0 && result.replayBroken.length === 0 ? 0 : 1;
}
