// Scenarios: a workflow author's test of a model, run on the virtual clock (format in the
// engine-core issue, meaning of expectations in shared/SCENARIOS.md). Usable from jest through
// runScenario(), and from the command line through `camau simulate`.
//
// Two parts of the format go beyond the engine-core issue:
// - `calendar` names whose school days the scenario counts ({ "laId", "schoolId" }, as a case's
//   LA and school); the caller lends the world that calendar (scenarioWorld), since calendar data
//   is loaded outside the pure core;
// - a `signOff` step records one role's decision on a joint sign-off task; `refused: true`
//   expects the engine to refuse it (the author approving their own plan, one person signing
//   for two roles), and the step fails if it is accepted.
import { z } from 'zod';
import type { EngineHost, Variables } from '../types.js';
import type { CalendarOwner } from '../time/index.js';
import type { Definition } from '../step.js';
import type { CompiledDmn } from '../dmn/index.js';
import { activeElements, openWaits } from '../inspect.js';
import { World, type SimInstance, type TraceLine } from './world.js';

const vars = z.record(z.string(), z.unknown());
const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 date-time');

const expectation = z.object({
  active: z.array(z.string()).optional(),
  completed: z.array(z.string()).optional(),
  notCompleted: z.array(z.string()).optional(),
  ended: z.boolean().optional(),
  variables: vars.optional(),
  incidents: z.number().int().nonnegative().optional(),
  timers: z.array(z.object({ element: z.string(), dueAt: iso })).optional(),
  instance: z.string().optional(),
}).strict();

const stepSchema = z.union([
  z.object({ start: z.object({ variables: vars.optional(), process: z.string().optional(), alias: z.string().optional() }).strict() }).strict(),
  z.object({ complete: z.string(), variables: vars.optional(), instance: z.string().optional() }).strict(),
  z.object({ throwError: z.string(), code: z.string(), message: z.string().optional(), instance: z.string().optional() }).strict(),
  z.object({
    signOff: z.string(),
    role: z.string(),
    userId: z.string(),
    decision: z.enum(['approve', 'return']),
    comment: z.string().optional(),
    instance: z.string().optional(),
    refused: z.boolean().optional(),
  }).strict(),
  z.object({ message: z.string(), correlationKey: z.string().optional(), variables: vars.optional() }).strict(),
  z.object({ signal: z.string(), variables: vars.optional() }).strict(),
  z.object({ advance: z.string() }).strict(),
  z.object({ advanceTo: iso }).strict(),
  z.object({ expect: expectation }).strict(),
]);

export const scenarioSchema = z.object({
  definitions: z.array(z.string()).optional(),
  process: z.string().optional(),
  clock: iso.optional(),
  calendar: z.object({ laId: z.string().optional(), schoolId: z.string().optional() }).strict().optional(),
  steps: z.array(stepSchema),
}).strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;

export interface ExpectationResult {
  step: number;
  instance: string;
  pass: boolean;
  failures: string[];
}

export interface ScenarioResult {
  trace: TraceLine[];
  expectations: ExpectationResult[];
  passed: number;
  failed: number;
  /** Instances whose replayed events differ from their state (an engine bug, never expected). */
  replayBroken: string[];
}

export interface ScenarioModels {
  /** The model under test (its definition for each process key it deploys). */
  main: Definition[];
  /** Extra models from `definitions`. */
  extra: Definition[];
  /** DMN files from `definitions`, whose decisions business-rule tasks call. */
  decisions?: CompiledDmn[];
  /** Duration arithmetic for `advance` (pure, injected so this module stays free of parsing concerns). */
  addDuration(instant: string, duration: string): string | undefined;
}

/** Parses and validates a scenario document; errors name the path of what is wrong. */
export function parseScenario(json: unknown): { ok: true; scenario: Scenario } | { ok: false; message: string } {
  const r = scenarioSchema.safeParse(json);
  if (r.success) return { ok: true, scenario: r.data };
  return { ok: false, message: r.error.issues.map((i) => `${i.path.join('.') || '(scenario)'}: ${i.message}`).join('; ') };
}

/** Where a scenario's clock starts when it names none. */
const DEFAULT_CLOCK = '2026-01-01T00:00:00.000Z';

/**
 * A world for the scenario: its clock, and the host `hostFor` lends for the scenario's calendar
 * owner (the calendars of that LA and school; no owner when the scenario names none).
 */
export function scenarioWorld(scenario: Scenario, hostFor: (owner: CalendarOwner | undefined) => EngineHost = () => ({})): World {
  return new World(scenario.clock ? new Date(Date.parse(scenario.clock)).toISOString() : DEFAULT_CLOCK, hostFor(scenario.calendar));
}

export function runScenario(scenario: Scenario, models: ScenarioModels, world = scenarioWorld(scenario)): ScenarioResult {
  for (const d of [...models.extra, ...models.main]) world.deployDefinition(d);
  for (const dmn of models.decisions ?? []) world.deployDecisions(dmn);
  const mainKeys = models.main.map((d) => d.ref.key);
  const defaultProcess = scenario.process ?? (mainKeys.length === 1 ? mainKeys[0] : undefined);
  const expectations: ExpectationResult[] = [];
  let lastStarted: SimInstance | undefined;

  const target = (ref: string | undefined, i: number): SimInstance | undefined => {
    const inst = ref ? world.find(ref) : lastStarted;
    if (!inst) fail(i, ref ?? '(none)', [`no instance ${ref ?? 'has been started'}`]);
    return inst;
  };
  const fail = (step: number, instance: string, failures: string[]) => expectations.push({ step, instance, pass: false, failures });

  scenario.steps.forEach((s, i) => {
    if ('start' in s) {
      const key = s.start.process ?? defaultProcess;
      if (!key) return fail(i, '(start)', ['the model has several executable processes; name one with "process"']);
      const inst = world.start(key, s.start.variables ?? {}, { alias: s.start.alias });
      if (typeof inst === 'string') return fail(i, key, [inst]);
      lastStarted = inst;
    } else if ('complete' in s || 'throwError' in s) {
      const inst = target(s.instance, i);
      if (!inst) return;
      const el = 'complete' in s ? s.complete : s.throwError;
      const found = waitAt(world, inst, el);
      if (!found) return fail(i, inst.alias ?? inst.id, [`no open wait or job at ${el}`]);
      const err = 'complete' in s
        ? world.send(found.inst, { type: 'complete', eid: found.eid, variables: s.variables as Variables | undefined })
        : world.send(found.inst, { type: 'throwError', eid: found.eid, code: s.code, message: s.message });
      if (err) fail(i, inst.alias ?? inst.id, [err]);
    } else if ('signOff' in s) {
      const inst = target(s.instance, i);
      if (!inst) return;
      const found = waitAt(world, inst, s.signOff, ['userTask']);
      if (!found) return fail(i, inst.alias ?? inst.id, [`no open user task at ${s.signOff}`]);
      const err = world.send(found.inst, { type: 'signOff', eid: found.eid, role: s.role, userId: s.userId, decision: s.decision, ...(s.comment !== undefined ? { comment: s.comment } : {}) });
      const who = `${s.userId} as ${s.role}`;
      if (s.refused) {
        if (err === undefined) return fail(i, inst.alias ?? inst.id, [`the sign-off by ${who} was accepted; expected it to be refused`]);
        found.inst.errors.pop(); // refused as expected: not a rejected command of the run
        expectations.push({ step: i, instance: inst.alias ?? inst.id, pass: true, failures: [] });
      } else if (err) {
        fail(i, inst.alias ?? inst.id, [`the sign-off by ${who} was refused: ${err}`]);
      }
    } else if ('message' in s) {
      if (!world.publish(s.message, s.correlationKey, s.variables ?? {})) fail(i, '(message)', [`message ${s.message} was not correlated`]);
    } else if ('signal' in s) {
      world.broadcast(s.signal, s.variables ?? {});
    } else if ('advance' in s) {
      const to = models.addDuration(world.clock, s.advance);
      if (!to) return fail(i, '(clock)', [`"${s.advance}" is not an ISO-8601 duration`]);
      world.advanceTo(to);
    } else if ('advanceTo' in s) {
      world.advanceTo(new Date(Date.parse(s.advanceTo)).toISOString());
    } else if ('expect' in s) {
      const inst = target(s.expect.instance, i);
      if (!inst) return;
      const failures = check(inst, s.expect);
      expectations.push({ step: i, instance: inst.alias ?? inst.id, pass: failures.length === 0, failures });
    }
  });
  const passed = expectations.filter((e) => e.pass).length;
  return { trace: world.trace, expectations, passed, failed: expectations.length - passed, replayBroken: world.checkReplay() };
}

/** The single open wait or job at an element, in the instance or any instance it called. */
function waitAt(world: World, inst: SimInstance, el: string, kinds = ['userTask', 'job', 'manualTask', 'message']): { inst: SimInstance; eid: string } | undefined {
  for (const i of world.family(inst)) {
    const w = openWaits(i.state).filter((e) => e.el === el && e.wait && kinds.includes(e.wait.kind));
    if (w.length) return { inst: i, eid: w.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)))[0].id };
  }
  return undefined;
}

function check(inst: SimInstance, e: z.infer<typeof expectation>): string[] {
  const out: string[] = [];
  const st = inst.state;
  const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (e.active) {
    const actual = activeElements(st);
    if (!same(actual, e.active)) out.push(`active: expected [${[...e.active].sort().join(', ')}], got [${actual.join(', ')}]`);
  }
  if (e.completed) {
    const missing = e.completed.filter((id) => !st.done[id]);
    if (missing.length) out.push(`completed: ${missing.join(', ')} not completed`);
  }
  if (e.notCompleted) {
    const present = e.notCompleted.filter((id) => st.done[id]);
    if (present.length) out.push(`notCompleted: ${present.join(', ')} completed`);
  }
  if (e.ended !== undefined) {
    const ended = st.status !== 'active';
    if (ended !== e.ended) out.push(`ended: expected ${e.ended}, instance is ${st.status}`);
  }
  if (e.variables) {
    for (const [k, v] of Object.entries(e.variables)) {
      if (JSON.stringify(st.vars[k]) !== JSON.stringify(v)) out.push(`variables.${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(st.vars[k])}`);
    }
  }
  if (e.incidents !== undefined) {
    const n = Object.keys(st.incidents).length;
    if (n !== e.incidents) out.push(`incidents: expected ${e.incidents}, got ${n}${n ? ` (${Object.values(st.incidents).map((x) => x.message).join('; ')})` : ''}`);
  }
  if (e.timers) {
    const actual = Object.values(st.timers).map((t) => `${t.el}@${new Date(Date.parse(t.dueAt)).toISOString()}`).sort();
    const want = e.timers.map((t) => `${t.element}@${new Date(Date.parse(t.dueAt)).toISOString()}`).sort();
    if (!same(actual, want)) out.push(`timers: expected [${want.join(', ')}], got [${actual.join(', ')}]`);
  }
  return out;
}
