// The sickness absence procedure beyond what every bundled model is checked for (bundled.test.ts):
// its trigger table (workflows/dmn/absence-trigger.dmn) deploys, opens in Camunda Modeler (DMN
// DI), labels everything in Welsh and English, and decides the primer's default trigger; the
// model calls the table its setting triggerDecision names, that one by default; every overdue
// step escalates to the LA.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DmnModdle, type ModdleElement } from 'dmn-moddle';
import { compileDmn, evaluateDecision, type CompiledDecision } from '../../../engine/dmn/index.js';
import { calledDecisions, callsDecisionsByExpression } from '../../../engine/model/called-decisions.js';
import { compileBpmn } from '../../../engine/model/compile.js';
import type { ProcessGraph } from '../../../engine/model/graph.js';
import { BPMN_DIR } from './bundled-scenarios.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TABLE = readFileSync(join(root, 'workflows', 'dmn', 'absence-trigger.dmn'), 'utf8');
const MODEL = readFileSync(join(BPMN_DIR, 'sickness-absence.bpmn'), 'utf8');

async function decision(): Promise<CompiledDecision> {
  const r = await compileDmn(TABLE);
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return r.value.decisions['absence-trigger'];
}

async function graph(): Promise<{ g: ProcessGraph; called: string[]; byExpression: boolean }> {
  const r = await compileBpmn(MODEL);
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return { g: r.value.processes['sickness-absence'], called: calledDecisions(r.value), byExpression: callsDecisionsByExpression(r.value) };
}

const env = { now: '2026-11-02T09:00:00Z', calendar: () => undefined };

describe('the trigger table (workflows/dmn/absence-trigger.dmn)', () => {
  it('deploys with no diagnostics as the decision the model calls unless the LA names its own', async () => {
    const r = await compileDmn(TABLE);
    expect(r.ok ? Object.keys(r.value.decisions) : r.failure).toEqual(['absence-trigger']);
    // The task calls the table the setting triggerDecision names, by default this one.
    const { g, called, byExpression } = await graph();
    expect([called, byExpression]).toEqual([[], true]);
    const id = g.nodes.decideTrigger.decision?.id;
    expect(typeof id === 'string' ? id : id?.source).toBe('=triggerDecision');
    const setting = g.nodes.recordSettings.outputs?.find((o) => o.target === 'triggerDecision');
    expect(setting?.source?.evaluate({}, env)).toBe('absence-trigger');
    expect(setting?.source?.evaluate({ triggerDecision: 'powys-absence-trigger' }, env)).toBe('powys-absence-trigger');
  });

  it('has diagram interchange for its decision and labels every column and rule "Cymraeg / English"', async () => {
    const { rootElement: defs, warnings } = await new DmnModdle().fromXML(TABLE, 'dmn:Definitions');
    expect(warnings).toEqual([]);
    const decisions = (defs.drgElement as ModdleElement[]).filter((e) => e.$type === 'dmn:Decision');
    const shapes = (defs.dmnDI?.diagrams ?? []).flatMap((d: ModdleElement) => d.diagramElements ?? []) as ModdleElement[];
    expect(decisions.map((d) => shapes.some((s) => s.dmnElementRef?.id === d.id))).toEqual([true]);
    const bilingual = /^[^/]+ \/ [^/]+$/;
    const table = decisions[0].decisionLogic;
    const labels: string[] = [
      decisions[0].name,
      ...(table.input as ModdleElement[]).map((i) => i.label),
      ...(table.output as ModdleElement[]).map((o) => o.label),
      ...(table.rule as ModdleElement[]).map((r) => r.description),
    ];
    expect(labels.filter((l) => !bilingual.test(String(l)))).toEqual([]);
    expect(String(decisions[0].description)).toContain('\n\n');
  });

  // The primer's default at stage 0: 3 occasions or 10 working days in a rolling 12 months.
  it('decides the default trigger: 3 occasions or 10 working days, then stage 1', async () => {
    const d = await decision();
    const wrong: string[] = [];
    for (let occasions = 0; occasions <= 5; occasions++) {
      for (let workingDaysAbsent = occasions; workingDaysAbsent <= 15; workingDaysAbsent++) {
        const out = evaluateDecision(d, { occasions, workingDaysAbsent, stage: 0, inReviewPeriod: false }, env);
        const met = occasions >= 3 || workingDaysAbsent >= 10;
        const value = out.ok ? (out.value as { trigger: boolean; action: string }) : undefined;
        if (value?.trigger !== met || value.action !== (met ? 'stage-1' : 'none')) wrong.push(`${occasions} occasions, ${workingDaysAbsent} days: ${JSON.stringify(out)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [{ occasions: 1, workingDaysAbsent: 1, stage: 1, inReviewPeriod: true }, 'stage-2'],
    [{ occasions: 1, workingDaysAbsent: 1, stage: 2, inReviewPeriod: true }, 'stage-3'],
    [{ occasions: 1, workingDaysAbsent: 1, stage: 3, inReviewPeriod: true }, 'stage-3'],
    [{ occasions: 3, workingDaysAbsent: 3, stage: 1, inReviewPeriod: false }, 'stage-2'],
    [{ occasions: 1, workingDaysAbsent: 12, stage: 2, inReviewPeriod: false }, 'stage-3'],
    [{ occasions: 2, workingDaysAbsent: 9, stage: 2, inReviewPeriod: false }, 'none'],
    [{ occasions: 1, workingDaysAbsent: 1, stage: 0, inReviewPeriod: true }, 'none'],
  ])('an absence after a stage: %j gives %s', async (vars, action) => {
    const out = evaluateDecision(await decision(), vars, env);
    expect(out.ok && (out.value as { action: string }).action).toBe(action);
  });
});

describe('the sickness absence procedure', () => {
  it("escalates every overdue step to the LA (the LA's own notice to its lead education HR officer)", async () => {
    const { g } = await graph();
    const tasks = Object.values(g.nodes).filter((n) => n.type === 'userTask' && !n.id.includes('__'));
    expect(tasks.length).toBeGreaterThanOrEqual(15);
    for (const n of tasks) {
      const esc = n.deadlines?.find((d) => d.kind === 'escalation');
      expect([n.id, esc?.toRoles]).toEqual([n.id, [n.id === 'laNotice' ? 'lead-education-hr-officer' : 'la-employer']]);
      expect([n.id, n.userTask?.dueDate !== undefined]).toEqual([n.id, true]);
    }
  });

  it('takes absences as messages correlated by the case reference', async () => {
    const { g } = await graph();
    const messages = new Map<string, string>();
    for (const n of Object.values(g.nodes)) {
      for (const e of n.events ?? []) if (e.kind === 'message') messages.set(String(e.name), String(e.correlationKey?.source));
    }
    expect([...messages.keys()].sort()).toEqual(['absence-ended', 'absence-recorded', 'sickness-appeal', 'sickness-case-ended']);
    for (const key of messages.values()) expect(key).toContain('caseRef');
  });
});
