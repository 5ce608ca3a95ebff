// Teacher appraisal, built twice: the BPMN model workflows/bpmn/appraisal.bpmn and the statechart
// workflows/machines/appraisal-statechart.ts. Every appraisal scenario runs on both and passes on
// both; beyond what the scenarios expect, both versions complete the same tasks at the same
// moments and leave the same tasks open with the same due dates and assignees.
import { join } from 'node:path';
import { compileBpmn } from '../../../engine/model/compile.js';
import { checkMachine } from '../../../engine/statecharts/check.js';
import type { Definition, MachineDefinition } from '../../../engine/step.js';
import type { World } from '../../../engine/simulate/world.js';
import { bundledMachines } from '../../../workflows/machines/index.js';
import { APPRAISAL_DEFAULTS, appraisalStatechart } from '../../../workflows/machines/appraisal-statechart.js';
import { loadDefinitions } from '../../helpers/scenarios.js';
import { BPMN_DIR, runScenarioOn, scenarioCases } from './bundled-scenarios.js';
import { readFileSync } from 'node:fs';

const machine: MachineDefinition = { kind: 'xstate', machine: appraisalStatechart, ref: { kind: 'xstate', key: appraisalStatechart.id, version: 1, hash: 'appraisal-statechart' } };
const bpmn = () => loadDefinitions(join(BPMN_DIR, 'appraisal.bpmn'));
const cases = scenarioCases('appraisal');

/** The ids of the machine's task states: what both versions have in common. */
const taskIds = new Set<string>();
const walk = (node: typeof appraisalStatechart.root): void => {
  if ((node.meta as { task?: unknown } | undefined)?.task) taskIds.add(node.id);
  for (const child of Object.values(node.states)) walk(child);
};
walk(appraisalStatechart.root);

/** When each task completed, in order. */
const completions = (world: World) => world.trace.filter((t) => t.kind === 'element.completed' && taskIds.has(String(t.el))).map((t) => `${t.at} ${String(t.el)}`);

/** The open tasks of the scenario's instance: element, due date, assignee. */
const openTasks = (world: World) => [...world.instances.values()].flatMap((i) => Object.values(i.state.elements))
  .filter((e) => e.wait?.kind === 'userTask')
  .map((e) => (e.wait?.kind === 'userTask' ? { el: e.el, dueAt: e.wait.task.dueAt ?? null, assignee: e.wait.task.assignee ?? null } : null))
  .sort((a, b) => String(a?.el).localeCompare(String(b?.el)));

describe('appraisal: one procedure, two workflows', () => {
  it('has a scenario for each branch the issue names', () => {
    expect(cases).toEqual(expect.arrayContaining([
      'happy-path',
      'late-notice-refused-then-rescheduled',
      'record-not-in-time-rearranged',
      'statement-late-escalated',
      'escalation-outlives-late-statement',
      'appeal-upheld',
      'appeal-dismissed',
      'no-appeal-in-time',
      'next-cycle',
    ]));
  });

  it('the statechart is bundled under its id and passes the load-time checks', () => {
    expect(bundledMachines[appraisalStatechart.id]).toBe(appraisalStatechart);
    expect(checkMachine(appraisalStatechart)).toEqual([]);
  });

  it('both versions start from the same settings and defaults', async () => {
    const r = await compileBpmn(readFileSync(join(BPMN_DIR, 'appraisal.bpmn'), 'utf8'));
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
    const outputs = r.value.processes.appraisal.nodes.recordSettings.outputs ?? [];
    const bpmnDefaults = Object.fromEntries(outputs.filter((o) => o.target !== 'cycle').map((o) => [o.target, Number(/then (\d+) else/.exec(o.source?.source ?? '')?.[1])]));
    expect(bpmnDefaults).toEqual(APPRAISAL_DEFAULTS);
  });

  describe.each(cases)('%s', (c) => {
    let runs: Record<'bpmn' | 'statechart', ReturnType<typeof runScenarioOn>>;
    beforeAll(async () => {
      const on = (defs: Definition[]) => runScenarioOn(defs, `appraisal.${c}`);
      runs = { bpmn: on(await bpmn()), statechart: on([machine]) };
    });

    it.each(['bpmn', 'statechart'] as const)('passes on the %s version', (kind) => {
      expect(runs[kind].problems).toEqual([]);
      expect(runs[kind].expectations.length).toBeGreaterThan(0);
    });

    it('both complete the same tasks at the same moments and leave the same tasks open, due at the same time', () => {
      expect(completions(runs.statechart.world)).toEqual(completions(runs.bpmn.world));
      expect(completions(runs.bpmn.world).length).toBeGreaterThan(0);
      expect(openTasks(runs.statechart.world)).toEqual(openTasks(runs.bpmn.world));
    });
  });
});
