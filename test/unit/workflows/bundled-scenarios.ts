// Runs the scenarios of the bundled workflows (workflows/bpmn/scenarios/<model>.<case>.scenario.json)
// the way test/helpers/scenarios.ts runs the fixtures, with two differences:
//
// - the world's host lends the engine the bundled calendars of the demo school (Ysgol y Bryn,
//   Carmarthenshire), so school-day and working-day timers, due dates and the FEEL functions
//   (isSchoolDay, addWorkingDays...) count as they do for a real case there;
// - a step may be a joint sign-off, which the simulator's scenario format has no step for:
//     { "signOff": "<element id>", "role": "...", "userId": "...", "decision": "approve" | "return",
//       "comment": "...", "refused": true }
//   `refused: true` expects the engine to refuse it (e.g. the author approving their own plan).
//
// Every other step is the simulator's own (engine/simulate/scenario.ts) and goes through its
// runScenario(), a run of steps at a time, on the same world.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { openWaits } from '../../../engine/inspect.js';
import { parseScenario, runScenario, type ExpectationResult, type ScenarioStep } from '../../../engine/simulate/scenario.js';
import { World } from '../../../engine/simulate/world.js';
import type { CalendarOwner } from '../../../engine/time/index.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';
import { addDuration, loadDefinitions } from '../../helpers/scenarios.js';

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

const signOffStep = z.object({
  signOff: z.string(),
  role: z.string(),
  userId: z.string(),
  decision: z.enum(['approve', 'return']),
  comment: z.string().optional(),
  instance: z.string().optional(),
  refused: z.boolean().optional(),
}).strict();
type SignOffStep = z.infer<typeof signOffStep>;

export interface BundledRun {
  world: World;
  expectations: ExpectationResult[];
  /** Failed expectations, refused commands, sign-offs that went otherwise than expected, replay mismatches. */
  problems: string[];
}

export async function runBundledScenario(model: string, scenarioCase: string): Promise<BundledRun> {
  const json = JSON.parse(readFileSync(join(SCENARIO_DIR, `${model}.${scenarioCase}.scenario.json`), 'utf8')) as { steps?: unknown[] } & Record<string, unknown>;
  const raw = Array.isArray(json.steps) ? json.steps : [];
  const isSignOff = (s: unknown) => typeof s === 'object' && s !== null && 'signOff' in s;
  // Everything but the sign-off steps must be a valid simulator scenario.
  const parsed = parseScenario({ ...json, steps: raw.filter((s) => !isSignOff(s)) });
  if (!parsed.ok) throw new Error(`${model}.${scenarioCase}: ${parsed.message}`);
  const scenario = parsed.scenario;
  const standard = [...scenario.steps];
  const steps: Array<ScenarioStep | SignOffStep> = raw.map((s, i) => {
    if (!isSignOff(s)) return standard.shift()!;
    const r = signOffStep.safeParse(s);
    if (!r.success) throw new Error(`${model}.${scenarioCase} step ${i}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return r.data;
  });

  const main = await loadDefinitions(join(BPMN_DIR, `${model}.bpmn`));
  const world = new World(scenario.clock ? new Date(Date.parse(scenario.clock)).toISOString() : '2026-01-01T00:00:00.000Z', { calendar: calendarsFor(SCENARIO_CALENDAR) });
  for (const d of main) world.deployDefinition(d);
  const process = scenario.process ?? main[0].ref.key;
  const expectations: ExpectationResult[] = [];
  const problems: string[] = [];
  const replayBroken = new Set<string>();
  let last: string | undefined;

  // A run of simulator steps; steps before its first start act on the instance started last.
  const runSegment = (segment: ScenarioStep[], offset: number) => {
    const before = new Set(world.instances.keys());
    let started = false;
    const withInstance = segment.map((s) => {
      if ('start' in s) started = true;
      if (started || !last) return s;
      if ('complete' in s || 'throwError' in s) return { ...s, instance: s.instance ?? last };
      if ('expect' in s) return { expect: { ...s.expect, instance: s.expect.instance ?? last } };
      return s;
    });
    const res = runScenario({ process, steps: withInstance }, { main: [], extra: [], addDuration }, world);
    expectations.push(...res.expectations.map((e) => ({ ...e, step: e.step + offset })));
    for (const id of res.replayBroken) replayBroken.add(id);
    const fresh = [...world.instances.values()].filter((i) => !before.has(i.id) && !i.state.calledBy);
    if (fresh.length) last = fresh[fresh.length - 1].alias ?? fresh[fresh.length - 1].id;
  };

  const signOff = (s: SignOffStep, index: number) => {
    const inst = world.find(s.instance ?? last);
    if (!inst) return problems.push(`step ${index}: no instance ${s.instance ?? '(none started)'}`);
    const wait = openWaits(inst.state).find((e) => e.el === s.signOff && e.wait?.kind === 'userTask');
    if (!wait) return problems.push(`step ${index}: no open user task at ${s.signOff}`);
    const refused = world.send(inst, { type: 'signOff', eid: wait.id, role: s.role, userId: s.userId, decision: s.decision, ...(s.comment ? { comment: s.comment } : {}) });
    if (s.refused) {
      if (refused === undefined) problems.push(`step ${index}: the sign-off by ${s.userId} as ${s.role} was accepted; expected it to be refused`);
      else inst.errors.pop();
    }
    return undefined;
  };

  let segment: ScenarioStep[] = [];
  let offset = 0;
  steps.forEach((s, i) => {
    if ('signOff' in s) {
      if (segment.length) runSegment(segment, offset);
      segment = [];
      signOff(s, i);
      offset = i + 1;
    } else {
      segment.push(s);
    }
  });
  if (segment.length) runSegment(segment, offset);

  for (const e of expectations) if (!e.pass) problems.push(`step ${e.step} (${e.instance}): ${e.failures.join('; ')}`);
  if (replayBroken.size) problems.push(`replay mismatch: ${[...replayBroken].join(', ')}`);
  for (const inst of world.instances.values()) for (const err of inst.errors) problems.push(`rejected command (${inst.alias ?? inst.id}): ${err}`);
  return { world, expectations, problems };
}
