// The bundled workflows (workflows/bpmn/*.bpmn, deployed at every `camau serve`): each deploys
// with no diagnostics, renders (diagram interchange for every element), names every step in
// Welsh and English, uses the roles Camau knows, and passes every one of its scenarios
// (workflows/bpmn/scenarios) on the demo school's calendar.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { compileBpmn } from '../../../engine/model/compile.js';
import type { Node, ProcessGraph } from '../../../engine/model/graph.js';
import { calendarsFor } from '../../../workflows/calendars/index.js';
import { ALL_ROLES } from '../../../api/permissions.js';
import { CASE_ROLES } from '../../../workers/notifications/recipients.js';
import { bundledTemplates } from '../../../workers/notifications/templates.js';
import { BPMN_DIR, SCENARIO_CALENDAR, bundledModels, runBundledScenario, scenarioCases } from './bundled-scenarios.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const models = bundledModels();
const source = (model: string) => readFileSync(join(BPMN_DIR, `${model}.bpmn`), 'utf8');

async function graph(model: string): Promise<ProcessGraph> {
  const r = await compileBpmn(source(model));
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return r.value.processes[model];
}

/** Nodes the model itself declares (not the reminder and escalation events Camau adds when it compiles). */
const declared = (g: ProcessGraph) => Object.values(g.nodes).filter((n) => !n.id.includes('__'));

/** Role names a notification may go to: the roles of api/permissions.ts and the case roles of the recipients resolver. */
const recipientRoles = new Set<string>([...ALL_ROLES, ...CASE_ROLES, 'governors']);

it('bundles the procedures', () => {
  expect(models).toEqual(['appraisal', 'headteacher-capability', 'school-intervention-plan', 'sickness-absence', 'teacher-capability']);
});

describe.each(models)('%s', (model) => {
  it('deploys with no diagnostics; its process key is the file name', async () => {
    const r = await compileBpmn(source(model));
    expect(r.ok ? [] : r.failure).toEqual([]);
    expect(r.ok && r.value.executable).toEqual([model]);
  });

  it('has diagram interchange for every flow node and sequence flow, on the right plane', async () => {
    const { rootElement: defs } = await new BpmnModdle().fromXML(source(model));
    const flowNodes: ModdleElement[] = [];
    const flows: ModdleElement[] = [];
    const walk = (container: ModdleElement) => {
      for (const el of (container.flowElements ?? []) as ModdleElement[]) {
        if (el.$type === 'bpmn:SequenceFlow') flows.push(el);
        else flowNodes.push(el);
        if (el.flowElements) walk(el);
      }
    };
    const process = defs.rootElements.find((r: ModdleElement) => r.$type === 'bpmn:Process');
    walk(process);
    const shapes = new Map<string, { plane: ModdleElement; shape: ModdleElement }>();
    const edges = new Map<string, ModdleElement>();
    for (const d of defs.diagrams as ModdleElement[]) {
      for (const e of d.plane.planeElement as ModdleElement[]) {
        if (e.$type === 'bpmndi:BPMNShape') {
          expect(shapes.has(e.bpmnElement.id)).toBe(false);
          shapes.set(e.bpmnElement.id, { plane: d.plane, shape: e });
          expect(e.bounds.width).toBeGreaterThan(0);
        }
        if (e.$type === 'bpmndi:BPMNEdge') edges.set(e.bpmnElement.id, e);
      }
    }
    expect(flowNodes.length).toBeGreaterThan(20);
    expect(flowNodes.filter((n) => !shapes.has(n.id)).map((n) => n.id)).toEqual([]);
    expect(flows.filter((f) => !edges.has(f.id)).map((f) => f.id)).toEqual([]);
    for (const f of flows) expect(edges.get(f.id)!.waypoint.length).toBeGreaterThanOrEqual(2);
    // An element is drawn on the plane of the nearest enclosing collapsed sub-process, else the process's.
    for (const n of flowNodes) {
      let owner: ModdleElement = n.$parent!;
      while (owner.$type === 'bpmn:SubProcess' && shapes.get(owner.id)?.shape.isExpanded) owner = owner.$parent!;
      expect(`${n.id} on ${shapes.get(n.id)!.plane.bpmnElement.id}`).toBe(`${n.id} on ${owner.id}`);
    }
  });

  it('names every step in Welsh and English, Welsh first', async () => {
    const { rootElement: defs } = await new BpmnModdle().fromXML(source(model));
    const problems: string[] = [];
    const walk = (container: ModdleElement) => {
      for (const el of (container.flowElements ?? []) as ModdleElement[]) {
        if (el.flowElements) walk(el);
        if (el.$type === 'bpmn:SequenceFlow' || (el.$type.endsWith('Gateway') && !el.name)) continue;
        const names = Object.fromEntries(((el.extensionElements?.values ?? []) as ModdleElement[])
          .filter((v) => v.$type.toLowerCase() === 'camau:name')
          .map((v) => [v.$attrs?.lang ?? v.lang, String(v.$body ?? v.text ?? '').trim()]));
        if (!names.cy || !names.en || names.cy === names.en) problems.push(`${el.id}: camau:name cy ${JSON.stringify(names.cy)}, en ${JSON.stringify(names.en)}`);
        else if (el.name !== `${names.cy} / ${names.en}`) problems.push(`${el.id}: name "${el.name}" is not "<Welsh> / <English>"`);
      }
    };
    walk(defs.rootElements.find((r: ModdleElement) => r.$type === 'bpmn:Process'));
    expect(problems).toEqual([]);
    const g = await graph(model);
    for (const n of declared(g).filter((x) => x.type === 'userTask')) {
      expect([n.id, Object.keys(n.userTask?.names ?? {}).sort()]).toEqual([n.id, ['cy', 'en']]);
    }
  });

  it('gives tasks and notifications to roles Camau knows, with templates it ships', async () => {
    const g = await graph(model);
    const templates = bundledTemplates();
    const problems: string[] = [];
    for (const n of Object.values(g.nodes)) {
      const groups = n.userTask?.candidateGroups;
      if (typeof groups === 'string') for (const r of groups.split(',')) if (!(ALL_ROLES as string[]).includes(r.trim())) problems.push(`${n.id}: candidate group ${r}`);
      for (const d of n.deadlines ?? []) {
        for (const r of d.toRoles) if (!recipientRoles.has(r)) problems.push(`${n.id}: ${d.kind} to ${r}`);
        if (!templates.has(d.template)) problems.push(`${n.id}: template ${d.template}`);
      }
      if (n.type === 'sendTask') {
        // camau:notify: the engine sends it, no worker or job.
        if (!n.notify || n.job) problems.push(`${n.id}: not a camau:notify send task (job ${String(n.job?.type)})`);
        if (!templates.has(n.notify?.template ?? '')) problems.push(`${n.id}: template ${n.notify?.template}`);
        for (const r of n.notify?.toRoles ?? []) if (!recipientRoles.has(r)) problems.push(`${n.id}: to ${r}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('records its policy settings with defaults, as variables a case or an LA may override', async () => {
    const g = await graph(model);
    const settings = g.nodes.recordSettings;
    expect(settings?.type).toBe('scriptTask');
    const outputs = (settings.outputs ?? []).map((o) => [o.target, o.source?.source ?? '']);
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    for (const [target, src] of outputs) {
      if (target === 'isHeadteacher') continue;
      expect(src).toMatch(new RegExp(`^=if ${target} = null then .+ else ${target}$`));
    }
  });

  describe('scenarios', () => {
    const cases = scenarioCases(model);
    it('has scenarios', () => {
      expect(cases.length).toBeGreaterThanOrEqual(5);
    });
    it.each(cases)('%s', async (c) => {
      const run = await runBundledScenario(model, c);
      expect(run.problems).toEqual([]);
      expect(run.expectations.length).toBeGreaterThan(0);
    });
  });
});

describe('the capability procedures', () => {
  it('escalate every overdue step to the LA (the LA\'s own notice to its lead education HR officer)', async () => {
    for (const model of ['teacher-capability', 'headteacher-capability']) {
      const g = await graph(model);
      for (const n of declared(g).filter((x) => x.type === 'userTask')) {
        const esc = n.deadlines?.find((d) => d.kind === 'escalation');
        expect([model, n.id, esc?.toRoles]).toEqual([model, n.id, [n.id === 'laNotice' ? 'lead-education-hr-officer' : 'la-employer']]);
        expect(n.userTask?.dueDate).toBeDefined();
      }
    }
  });

  it('differ where the headteacher procedure differs', async () => {
    const teacher = await graph('teacher-capability');
    const head = await graph('headteacher-capability');
    const groups = (g: ProcessGraph, id: string) => g.nodes[id].userTask?.candidateGroups;
    expect(groups(teacher, 'informalStage')).toBe('headteacher');
    expect(groups(head, 'informalStage')).toBe('chair-of-governors');
    expect(groups(head, 'arrangeReview')).toBe('chair-of-governors');
    expect(groups(head, 'holdReview')).toBe('governor,chair-of-governors');
    expect(head.nodes.arrangeReview.userTask?.names?.en).toBe("Convene the governors' capability panel");
  });

  // The contract end date, for notice dates around every month end from 2026 to 2028, against the rule as the primer
  // states it: notice by 31 October ends the contract on 31 December, by 28/29 February on
  // 30 April, by 31 May on 31 August; a headteacher needs one month more (by 30 September,
  // 31 January, 30 April).
  it.each([['teacher-capability', false], ['headteacher-capability', true]] as const)('%s: contract end dates follow the notice rules', async (model, head) => {
    const node: Node = (await graph(model)).nodes.contractEnd;
    const expected = (iso: string): string => {
      const [y, m, d] = iso.split('-').map(Number);
      const lastOfFeb = new Date(Date.UTC(y, 2, 0)).getUTCDate();
      const cutOffs: Array<[number, number, string]> = head
        ? [[1, 31, `${y}-04-30`], [4, 30, `${y}-08-31`], [9, 30, `${y}-12-31`]]
        : [[2, lastOfFeb, `${y}-04-30`], [5, 31, `${y}-08-31`], [10, 31, `${y}-12-31`]];
      const hit = cutOffs.find(([cm, cd]) => m < cm || (m === cm && d <= cd));
      return hit ? hit[2] : `${y + 1}-04-30`;
    };
    const env = { now: '2026-09-01T09:00:00Z', calendar: calendarsFor(SCENARIO_CALENDAR) };
    const days: string[] = [];
    for (let y = 2026; y <= 2028; y++) {
      for (let m = 0; m < 12; m++) {
        const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
        for (const d of [1, 2, 15, last - 1, last]) days.push(new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10));
      }
    }
    expect(days).toEqual(expect.arrayContaining(['2027-02-28', '2028-02-28', '2028-02-29', '2028-01-31']));
    const wrong: string[] = [];
    for (const day of days) {
      const got = node.script!.expr!.evaluate({ noticeDate: day, isHeadteacher: head }, env);
      if (got !== expected(day)) wrong.push(`${day}: ${String(got)}, expected ${expected(day)}`);
    }
    expect(wrong).toEqual([]);
  });
});

it('the committed files are what scripts/bundled-bpmn/build.mjs writes', () => {
  expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'bundled-bpmn', 'build.mjs'), '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
});
