// Business-rule tasks that call a decision: Zeebe `zeebe:calledDecision` and Camunda 7
// `camunda:decisionRef` (with `camunda:mapDecisionResult`) compile to a decision call rather
// than a job; at run time the host lends the decision, the task completes with the result, and
// a missing decision or a failed evaluation is an incident that resolving retries.
import { calledDecisions, compileBpmn, type CompiledBpmn } from '../../../engine/index.js';
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

const zeebeTask = (ext: string) => model(ZEEBE_NS, `<bpmn:businessRuleTask id="rule"><bpmn:extensionElements>${ext}</bpmn:extensionElements></bpmn:businessRuleTask>`);
const camundaTask = (attrs: string) => model(CAMUNDA_NS, `<bpmn:businessRuleTask id="rule" ${attrs} />`);

async function compile(xml: string): Promise<CompiledBpmn> {
  const c = await compileBpmn(xml);
  if (!c.ok) throw new Error(JSON.stringify(c.failure));
  return c.value;
}

async function rejected(xml: string): Promise<string[]> {
  const c = await compileBpmn(xml);
  if (c.ok) throw new Error('expected the model to be rejected');
  return c.failure.map((d) => `${d.code}@${d.elementId}`);
}

/** score -> grade; FIRST by default, so one rule matches. */
const grades = (hitPolicy = 'FIRST'): TableSpec => ({
  hitPolicy,
  inputs: [{ expr: 'score' }],
  outputs: [{ name: 'grade' }],
  rules: [[['>= 90'], ['"distinction"']], [['>= 50'], ['"pass"']], [['< 50'], ['"fail"']]],
});

const twoOutputs: TableSpec = {
  hitPolicy: 'FIRST',
  inputs: [{ expr: 'days' }],
  outputs: [{ name: 'trigger' }, { name: 'stage' }],
  rules: [[['>= 10'], ['true', '"stage-1"']], [['-'], ['false', '"none"']]],
};

async function run(xml: string, decisions: Record<string, TableSpec>, variables: Record<string, unknown>): Promise<{ world: World; inst: SimInstance }> {
  const world = new World('2026-11-02T09:00:00.000Z');
  world.deploy(await compile(xml));
  if (Object.keys(decisions).length) world.deployDecisions(await compiled(Object.entries(decisions).map(([id, table]) => ({ id, table }))));
  const inst = world.start('p', variables);
  if (typeof inst === 'string') throw new Error(inst);
  return { world, inst };
}

const incidents = (inst: SimInstance) => Object.values(inst.state.incidents);

describe('compiling business-rule tasks', () => {
  test('zeebe:calledDecision calls a decision and stores its value', async () => {
    const c = await compile(zeebeTask('<zeebe:calledDecision decisionId="grade" resultVariable="result" />'));
    const n = c.processes.p.nodes.rule;
    expect(n.decision).toEqual({ id: 'grade', resultVariable: 'result', map: 'value' });
    expect(n.job).toBeUndefined();
    expect(calledDecisions(c)).toEqual(['grade']);
  });

  test('a business-rule task with zeebe:taskDefinition stays a job', async () => {
    const c = await compile(zeebeTask('<zeebe:taskDefinition type="rules-engine" />'));
    expect(c.processes.p.nodes.rule.decision).toBeUndefined();
    expect(c.processes.p.nodes.rule.job).toMatchObject({ type: 'rules-engine' });
    expect(calledDecisions(c)).toEqual([]);
  });

  test('camunda:decisionRef calls a decision; mapDecisionResult defaults to resultList', async () => {
    const c = await compile(camundaTask('camunda:decisionRef="grade" camunda:resultVariable="result"'));
    expect(c.processes.p.nodes.rule.decision).toEqual({ id: 'grade', resultVariable: 'result', map: 'resultList' });
    const single = await compile(camundaTask('camunda:decisionRef="grade" camunda:mapDecisionResult="singleEntry"'));
    expect(single.processes.p.nodes.rule.decision).toEqual({ id: 'grade', map: 'singleEntry' });
  });

  test('a Camunda 7 business-rule task implemented by an external worker stays a job', async () => {
    const c = await compile(camundaTask('camunda:type="external" camunda:topic="rules"'));
    expect(c.processes.p.nodes.rule.decision).toBeUndefined();
    expect(c.processes.p.nodes.rule.job).toMatchObject({ type: 'rules' });
  });

  test.each([
    ['a Zeebe call without resultVariable', zeebeTask('<zeebe:calledDecision decisionId="grade" />'), 'decision-without-result-variable@rule'],
    ['an empty decision id', zeebeTask('<zeebe:calledDecision decisionId=" " resultVariable="r" />'), 'decision-id@rule'],
    ['a decision id expression that is not FEEL', zeebeTask('<zeebe:calledDecision decisionId="=which +" resultVariable="r" />'), 'expression-syntax@rule'],
    ['a binding other than latest', camundaTask('camunda:decisionRef="grade" camunda:decisionRefBinding="version" camunda:decisionRefVersion="2"'), 'unsupported-decision-binding@rule'],
    ['an unknown mapDecisionResult', camundaTask('camunda:decisionRef="grade" camunda:mapDecisionResult="everything"'), 'unsupported-decision-result@rule'],
  ])('%s is rejected at deploy time', async (_what, xml, code) => {
    expect(await rejected(xml)).toEqual([code]);
  });
});

describe('running business-rule tasks', () => {
  test('the task evaluates the decision over the variables and completes with the result', async () => {
    const { world, inst } = await run(zeebeTask('<zeebe:calledDecision decisionId="grade" resultVariable="result" />'), { grade: grades() }, { score: 72 });
    expect(inst.state.status).toBe('completed');
    expect(inst.state.vars).toEqual({ score: 72, result: 'pass' });
    expect(world.checkReplay()).toEqual([]);
  });

  test('several outputs are a context; a Zeebe output mapping can read it', async () => {
    const xml = zeebeTask('<zeebe:calledDecision decisionId="trigger" resultVariable="result" /><zeebe:ioMapping><zeebe:output source="=result.stage" target="stage" /></zeebe:ioMapping>');
    const { inst } = await run(xml, { trigger: twoOutputs }, { days: 12 });
    expect(inst.state.vars).toEqual({ days: 12, stage: 'stage-1' });
  });

  test.each<[string, TableSpec, Record<string, unknown>, unknown]>([
    ['singleEntry', grades(), { score: 95 }, 'distinction'],
    ['singleEntry', grades(), { score: null }, null],
    ['singleResult', twoOutputs, { days: 12 }, { trigger: true, stage: 'stage-1' }],
    ['collectEntries', grades('COLLECT'), { score: 95 }, ['distinction', 'pass']],
    ['resultList', twoOutputs, { days: 3 }, [{ trigger: false, stage: 'none' }]],
    ['resultList', grades('RULE ORDER'), { score: 95 }, [{ grade: 'distinction' }, { grade: 'pass' }]],
  ])('camunda:mapDecisionResult %s shapes the result (%#)', async (map, table, vars, expected) => {
    const { inst } = await run(camundaTask(`camunda:decisionRef="d" camunda:resultVariable="result" camunda:mapDecisionResult="${map}"`), { d: table }, vars);
    expect(inst.state.status).toBe('completed');
    expect(inst.state.vars.result).toEqual(expected);
  });

  test('a missing decision is an incident naming it; resolving it after deployment evaluates again', async () => {
    const { world, inst } = await run(zeebeTask('<zeebe:calledDecision decisionId="grade" resultVariable="result" />'), {}, { score: 40 });
    const [incident] = incidents(inst);
    expect(incident).toMatchObject({ code: 'decision-not-found', el: 'rule', message: 'Decision "grade" called by rule is not deployed', retry: { kind: 'element' } });
    expect(world.send(inst, { type: 'resolveIncident', incidentId: incident.id })).toBeUndefined();
    expect(incidents(inst)).toMatchObject([{ code: 'decision-not-found' }]);
    world.deployDecisions(await compiled([{ id: 'grade', table: grades() }]));
    const [again] = incidents(inst);
    expect(world.send(inst, { type: 'resolveIncident', incidentId: again.id })).toBeUndefined();
    expect(incidents(inst)).toEqual([]);
    expect(inst.state.status).toBe('completed');
    expect(inst.state.vars.result).toBe('fail');
    expect(world.checkReplay()).toEqual([]);
  });

  test('an evaluation error is a decision-failed incident with the message', async () => {
    const { inst } = await run(zeebeTask('<zeebe:calledDecision decisionId="grade" resultVariable="result" />'), { grade: grades('UNIQUE') }, { score: 95 });
    expect(incidents(inst)).toEqual([expect.objectContaining({
      code: 'decision-failed', el: 'rule',
      message: 'Decision "grade" called by rule failed: hit policy UNIQUE allows one matching rule, but rules r1, r2 all match',
    })]);
    expect(inst.state.status).toBe('active');
  });

  test('a result that does not fit mapDecisionResult is a decision-failed incident', async () => {
    const { inst } = await run(camundaTask('camunda:decisionRef="d" camunda:resultVariable="result" camunda:mapDecisionResult="singleEntry"'), { d: grades('COLLECT') }, { score: 95 });
    expect(incidents(inst)).toEqual([expect.objectContaining({ code: 'decision-failed', message: 'Decision "d" called by rule failed: mapDecisionResult singleEntry: expected at most one rule result, got 2 (rules r1, r2)' })]);
  });

  test('a task calls the latest deployed version of its decision', async () => {
    const xml = zeebeTask('<zeebe:calledDecision decisionId="grade" resultVariable="result" />');
    const { world, inst } = await run(xml, { grade: grades() }, { score: 55 });
    expect(inst.state.vars.result).toBe('pass');
    world.deployDecisions(await compiled([{ id: 'grade', table: { ...grades(), rules: [[['>= 60'], ['"pass"']], [['-'], ['"fail"']]] } }]));
    const later = world.start('p', { score: 55 });
    if (typeof later === 'string') throw new Error(later);
    expect(later.state.vars.result).toBe('fail');
    // The first case keeps the result it stored.
    expect(inst.state.vars.result).toBe('pass');
  });
});
