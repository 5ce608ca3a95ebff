// A business-rule task that names its decision by an expression (Camunda 8's
// `zeebe:calledDecision decisionId="=expression"`, Camunda 7's `camunda:decisionRef="${...}"`):
// the id is checked as FEEL (or JUEL) at deploy time and evaluated in the task's scope when it
// runs, so each LA's cases can call that LA's own table. A decision that is not deployed is an
// incident naming the id the expression gave.
import { calledDecisions, callsDecisionsByExpression, compileBpmn, type CompiledBpmn } from '../../../engine/index.js';
import { World, type SimInstance } from '../../../engine/simulate/world.js';
import { compiled, type TableSpec } from './helpers.js';

const ZEEBE_NS = 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const CAMUNDA_NS = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';

/** start -> the business-rule task `rule` -> end, in a process `p`. */
function model(ns: string, task: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${ns} id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="rule" />
    ${task}
    <bpmn:sequenceFlow id="f2" sourceRef="rule" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

const zeebeCall = (decisionId: string) =>
  model(ZEEBE_NS, `<bpmn:businessRuleTask id="rule"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="trigger" /></bpmn:extensionElements></bpmn:businessRuleTask>`);

async function compile(xml: string): Promise<CompiledBpmn> {
  const c = await compileBpmn(xml);
  if (!c.ok) throw new Error(JSON.stringify(c.failure));
  return c.value;
}

/** Days absent -> stage, with the threshold the LA chose. */
const trigger = (days: number): TableSpec => ({
  hitPolicy: 'FIRST',
  inputs: [{ expr: 'days' }],
  outputs: [{ name: 'stage' }],
  rules: [[[`>= ${days}`], ['"stage-1"']], [['-'], ['"none"']]],
});

/** A world with the default table (10 days) and Powys's own (8 days) deployed. */
async function world(xml: string): Promise<World> {
  const w = new World('2026-11-02T09:00:00.000Z');
  w.deploy(await compile(xml));
  w.deployDecisions(await compiled([{ id: 'absence-trigger', table: trigger(10) }, { id: 'powys-absence-trigger', table: trigger(8) }]));
  return w;
}

function start(w: World, variables: Record<string, unknown>): SimInstance {
  const inst = w.start('p', variables);
  if (typeof inst === 'string') throw new Error(inst);
  return inst;
}

const incidents = (inst: SimInstance) => Object.values(inst.state.incidents);

describe('compiling a decision id expression', () => {
  test('a Zeebe expression id compiles to an expression, and the model may call any decision', async () => {
    const c = await compile(zeebeCall('=triggerDecision'));
    const call = c.processes.p.nodes.rule.decision!;
    expect(typeof call.id === 'string' ? call.id : call.id.source).toBe('=triggerDecision');
    expect(calledDecisions(c)).toEqual([]);
    expect(callsDecisionsByExpression(c)).toBe(true);
  });

  test('a Camunda 7 ${...} id is an expression too', async () => {
    const c = await compile(model(CAMUNDA_NS, '<bpmn:businessRuleTask id="rule" camunda:decisionRef="${triggerDecision}" camunda:resultVariable="trigger" camunda:mapDecisionResult="singleEntry" />'));
    expect(callsDecisionsByExpression(c)).toBe(true);
  });

  test('a fixed id is not', async () => {
    const c = await compile(zeebeCall('absence-trigger'));
    expect(calledDecisions(c)).toEqual(['absence-trigger']);
    expect(callsDecisionsByExpression(c)).toBe(false);
  });

  test('an id that is not FEEL is refused at deploy time with the element id', async () => {
    const c = await compileBpmn(zeebeCall('=if la = &quot;powys&quot; then'));
    expect(c.ok ? [] : c.failure.map((d) => ({ code: d.code, elementId: d.elementId }))).toEqual([{ code: 'expression-syntax', elementId: 'rule' }]);
  });
});

describe('running a task whose decision id is an expression', () => {
  test('each case calls the table its variable names', async () => {
    const w = await world(zeebeCall('=triggerDecision'));
    const byDefault = start(w, { triggerDecision: 'absence-trigger', days: 9 });
    const powys = start(w, { triggerDecision: 'powys-absence-trigger', days: 9 });
    expect([byDefault.state.status, byDefault.state.vars.trigger]).toEqual(['completed', 'none']);
    expect([powys.state.status, powys.state.vars.trigger]).toEqual(['completed', 'stage-1']);
    expect(w.checkReplay()).toEqual([]);
  });

  test('the expression may compute the id from the case', async () => {
    const w = await world(zeebeCall('=if la = &quot;powys&quot; then &quot;powys-absence-trigger&quot; else &quot;absence-trigger&quot;'));
    expect(start(w, { la: 'powys', days: 8 }).state.vars.trigger).toBe('stage-1');
    expect(start(w, { la: 'swansea', days: 8 }).state.vars.trigger).toBe('none');
  });

  test('a decision that is not deployed is an incident naming the id; resolving it after deployment evaluates again', async () => {
    const w = await world(zeebeCall('=triggerDecision'));
    const inst = start(w, { triggerDecision: 'swansea-absence-trigger', days: 5 });
    const [incident] = incidents(inst);
    expect(incident).toMatchObject({ code: 'decision-not-found', el: 'rule', message: 'Decision "swansea-absence-trigger" called by rule is not deployed' });
    w.deployDecisions(await compiled([{ id: 'swansea-absence-trigger', table: trigger(5) }]));
    expect(w.send(inst, { type: 'resolveIncident', incidentId: incident.id })).toBeUndefined();
    expect(incidents(inst)).toEqual([]);
    expect(inst.state.vars.trigger).toBe('stage-1');
    expect(w.checkReplay()).toEqual([]);
  });

  test('an id that is not text is an incident saying what the expression gave', async () => {
    const w = await world(zeebeCall('=triggerDecision'));
    const inst = start(w, { days: 5 });
    expect(incidents(inst)).toEqual([expect.objectContaining({ code: 'decision-id', el: 'rule', message: 'The decision id of rule (=triggerDecision) is null, not the id of a decision' })]);
    expect(inst.state.status).toBe('active');
  });
});
