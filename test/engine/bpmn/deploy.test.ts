// Deployment diagnostics: compileBpmn rejects a bad model with every problem at once, each
// with its rule code and, where there is one, the id of the element at fault.
import { compileBpmn } from '../../../engine/model/compile.js';
import type { Diagnostic } from '../../../engine/types.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const ZEEBE = `${NS} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"`;
const CAMUNDA = `${NS} xmlns:camunda="http://camunda.org/schema/1.0/bpmn"`;

/** A definitions document as Camunda Modeler writes it, around `body` (the process content) and `roots` (other root elements). */
function model(body: string, opts: { ns?: string; executable?: boolean; roots?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${opts.ns ?? ZEEBE} id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.28.0">
  ${opts.roots ?? ''}
  <bpmn:process id="Process_1" isExecutable="${opts.executable ?? true}">
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
}

const START_TO = (target: string) => `<bpmn:startEvent id="Start" /><bpmn:sequenceFlow id="Flow_start" sourceRef="Start" targetRef="${target}" />`;
const TO_END = (source: string, flow = 'Flow_end') => `<bpmn:sequenceFlow id="${flow}" sourceRef="${source}" targetRef="End" /><bpmn:endEvent id="End" />`;

async function diagnostics(xml: string): Promise<Diagnostic[]> {
  const r = await compileBpmn(xml);
  if (r.ok) throw new Error('the model was accepted');
  return r.failure;
}

/** Only `code` and `elementId`, for exact comparison of the whole list. */
const keyed = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, elementId: d.elementId }));


describe('compileBpmn accepts a well-formed model', () => {
  test('the reference model of these tests compiles', async () => {
    const r = await compileBpmn(model(START_TO('Task') + '<bpmn:userTask id="Task" />' + TO_END('Task')));
    expect(r.ok).toBe(true);
  });
});

describe('compileBpmn rejects', () => {
  test('XML that does not parse', async () => {
    const xml = model(START_TO('Task') + '<bpmn:userTask id="Task">' + TO_END('Task'));
    const ds = await diagnostics(xml);
    expect(ds).toHaveLength(1);
    expect(ds[0].code).toBe('xml-parse');
    expect(ds[0].message).toMatch(/could not be parsed/);
  });

  test('text that is not XML at all', async () => {
    const ds = await diagnostics('this is not a BPMN file');
    expect(ds.map((d) => d.code)).toContain('xml-parse');
  });

  test('duplicate ids', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" /><bpmn:serviceTask id="Task" />' + TO_END('Task')));
    expect(ds.map((d) => d.code)).toContain('moddle-warning');
  });

  test('duplicate ids are reported with the element id', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" /><bpmn:serviceTask id="Task" />' + TO_END('Task')));
    expect(ds).toContainEqual(expect.objectContaining({ code: 'moddle-warning', elementId: 'Task', message: expect.stringMatching(/duplicate/i) }));
  });

  test('an unknown element in the BPMN namespace', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" /><bpmn:frobnicator id="Frob_1" />' + TO_END('Task')));
    expect(ds.map((d) => d.code)).toEqual(['moddle-warning']);
  });

  test('an unknown element in the BPMN namespace is reported with its id', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" /><bpmn:frobnicator id="Frob_1" />' + TO_END('Task')));
    expect(ds).toEqual([expect.objectContaining({ code: 'moddle-warning', elementId: 'Frob_1', message: expect.stringMatching(/frobnicator/i) })]);
  });

  test('an unknown attribute in the Zeebe namespace, with the element id', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" zeebe:priorityLevel="9" />' + TO_END('Task')));
    expect(keyed(ds)).toEqual([{ code: 'moddle-warning', elementId: 'Task' }]);
    expect(ds[0].message).toMatch(/zeebe:priorityLevel/);
  });

  test('an unknown extension element in the Zeebe namespace', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task"><bpmn:extensionElements><zeebe:notAThing /></bpmn:extensionElements></bpmn:userTask>' + TO_END('Task')));
    expect(ds.map((d) => d.code)).toEqual(['moddle-warning']);
  });

  test('a FEEL syntax error in a condition', async () => {
    const ds = await diagnostics(model(
      START_TO('Gateway') +
      '<bpmn:exclusiveGateway id="Gateway" default="Flow_default" />' +
      '<bpmn:sequenceFlow id="Flow_bad" sourceRef="Gateway" targetRef="End"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; (10</bpmn:conditionExpression></bpmn:sequenceFlow>' +
      '<bpmn:sequenceFlow id="Flow_default" sourceRef="Gateway" targetRef="End" /><bpmn:endEvent id="End" />',
    ));
    expect(keyed(ds)).toEqual([{ code: 'expression-syntax', elementId: 'Flow_bad' }]);
  });

  test('a JUEL syntax error in a Camunda 7 condition', async () => {
    const ds = await diagnostics(model(
      START_TO('Gateway') +
      '<bpmn:exclusiveGateway id="Gateway" default="Flow_default" />' +
      '<bpmn:sequenceFlow id="Flow_bad" sourceRef="Gateway" targetRef="End"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${amount &gt; }</bpmn:conditionExpression></bpmn:sequenceFlow>' +
      '<bpmn:sequenceFlow id="Flow_default" sourceRef="Gateway" targetRef="End" /><bpmn:endEvent id="End" />',
      { ns: CAMUNDA },
    ));
    expect(keyed(ds)).toEqual([{ code: 'expression-syntax', elementId: 'Flow_bad' }]);
  });

  test.each([
    ['timeDuration', 'PT'],
    ['timeDuration', 'P1X'],
    ['timeDate', '2026-13-45T99:00:00Z'],
    ['timeCycle', 'R-1/PT1H'],
  ])('a bad timer value (%s %s)', async (kind, value) => {
    const ds = await diagnostics(model(
      START_TO('Timer') +
      `<bpmn:intermediateCatchEvent id="Timer"><bpmn:timerEventDefinition id="TimerDef"><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${value}</bpmn:${kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>` +
      TO_END('Timer'),
    ));
    expect(keyed(ds)).toEqual([{ code: 'timer-syntax', elementId: 'Timer' }]);
  });

  test('an unsupported element (a choreography)', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" />' + TO_END('Task'), { roots: '<bpmn:choreography id="Choreography_1" />' }));
    expect(keyed(ds)).toEqual([{ code: 'unsupported-element', elementId: 'Choreography_1' }]);
  });

  test('a file with no executable process', async () => {
    const ds = await diagnostics(model(START_TO('Task') + '<bpmn:userTask id="Task" />' + TO_END('Task'), { executable: false }));
    expect(keyed(ds)).toEqual([{ code: 'no-executable-process', elementId: undefined }]);
  });

  test('a gateway with no outgoing flow', async () => {
    const ds = await diagnostics(model(
      START_TO('Fork') +
      '<bpmn:parallelGateway id="Fork" />' +
      '<bpmn:sequenceFlow id="Flow_a" sourceRef="Fork" targetRef="Task_a" /><bpmn:sequenceFlow id="Flow_b" sourceRef="Fork" targetRef="Task_b" />' +
      '<bpmn:sequenceFlow id="Flow_c" sourceRef="Fork" targetRef="End" /><bpmn:endEvent id="End" />' +
      '<bpmn:userTask id="Task_a" /><bpmn:userTask id="Task_b" />' +
      '<bpmn:sequenceFlow id="Flow_a2" sourceRef="Task_a" targetRef="Dead_end" /><bpmn:sequenceFlow id="Flow_b2" sourceRef="Task_b" targetRef="Dead_end" />' +
      '<bpmn:exclusiveGateway id="Dead_end" />',
    ));
    expect(ds).toContainEqual(expect.objectContaining({ code: 'cannot-route', elementId: 'Dead_end' }));
    expect(ds.every((d) => d.elementId === 'Dead_end')).toBe(true);
  });

  test('a condition on a flow leaving an event', async () => {
    const ds = await diagnostics(model(
      '<bpmn:startEvent id="Start" />' +
      '<bpmn:sequenceFlow id="Flow_conditional" sourceRef="Start" targetRef="Task"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=true</bpmn:conditionExpression></bpmn:sequenceFlow>' +
      '<bpmn:userTask id="Task" />' + TO_END('Task'),
    ));
    expect(keyed(ds)).toEqual([{ code: 'condition-not-allowed', elementId: 'Flow_conditional' }]);
  });

  test('a Groovy script task (Camunda 7, as the Modeler writes it)', async () => {
    const ds = await diagnostics(model(
      START_TO('Script') +
      '<bpmn:scriptTask id="Script" scriptFormat="groovy" camunda:resultVariable="total"><bpmn:script>return amount * 2</bpmn:script></bpmn:scriptTask>' +
      TO_END('Script'),
      { ns: CAMUNDA },
    ));
    expect(keyed(ds)).toEqual([{ code: 'unsupported-script', elementId: 'Script' }]);
    expect(ds[0].message).toMatch(/groovy/);
  });

  test('a JavaScript script task is not run either', async () => {
    const ds = await diagnostics(model(
      START_TO('Script') +
      '<bpmn:scriptTask id="Script" scriptFormat="javascript"><bpmn:script>process.exit(1)</bpmn:script></bpmn:scriptTask>' +
      TO_END('Script'),
      { ns: CAMUNDA },
    ));
    expect(keyed(ds)).toEqual([{ code: 'unsupported-script', elementId: 'Script' }]);
  });

  test('several problems at once: every one is reported, each with its element', async () => {
    const ds = await diagnostics(model(
      '<bpmn:startEvent id="Start" />' +
      '<bpmn:sequenceFlow id="Flow_conditional" sourceRef="Start" targetRef="Gateway"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=true</bpmn:conditionExpression></bpmn:sequenceFlow>' +
      '<bpmn:exclusiveGateway id="Gateway" default="Flow_default" />' +
      '<bpmn:sequenceFlow id="Flow_bad" sourceRef="Gateway" targetRef="Timer"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=a &gt; (b</bpmn:conditionExpression></bpmn:sequenceFlow>' +
      '<bpmn:sequenceFlow id="Flow_default" sourceRef="Gateway" targetRef="Script" />' +
      '<bpmn:intermediateCatchEvent id="Timer"><bpmn:timerEventDefinition id="TimerDef"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>' +
      '<bpmn:scriptTask id="Script" scriptFormat="groovy"><bpmn:script>1</bpmn:script></bpmn:scriptTask>' +
      '<bpmn:sequenceFlow id="Flow_t" sourceRef="Timer" targetRef="End" /><bpmn:sequenceFlow id="Flow_s" sourceRef="Script" targetRef="End" /><bpmn:endEvent id="End" />',
      { roots: '<bpmn:choreography id="Choreography_1" />' },
    ));
    const got = keyed(ds);
    for (const want of [
      { code: 'condition-not-allowed', elementId: 'Flow_conditional' },
      { code: 'expression-syntax', elementId: 'Flow_bad' },
      { code: 'timer-syntax', elementId: 'Timer' },
      { code: 'unsupported-script', elementId: 'Script' },
      { code: 'unsupported-element', elementId: 'Choreography_1' },
    ]) expect(got).toContainEqual(want);
    expect(ds.every((d) => d.code && d.message)).toBe(true);
  });
});

describe('hostile XML', () => {
  test('a billion-laughs DOCTYPE neither expands nor hangs', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities.join('\n')}\n]>\n` +
      model('<bpmn:startEvent id="Start" name="&lol9;" />' + '<bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" /><bpmn:endEvent id="End" name="&lol9;" />').replace(/^<\?xml[^>]*>\s*/, '');
    const t0 = Date.now();
    const r = await compileBpmn(xml);
    expect(Date.now() - t0).toBeLessThan(2000);
    if (r.ok) {
      // Harmless: nothing was expanded into the compiled graph.
      const names = Object.values(r.value.processes).flatMap((g) => Object.values(g.nodes).map((n) => n.name ?? ''));
      expect(Math.max(0, ...names.map((n) => n.length))).toBeLessThan(1000);
    } else {
      expect(r.failure.length).toBeGreaterThan(0);
      expect(JSON.stringify(r.failure).length).toBeLessThan(10_000);
    }
  });

  test('an external entity is not read', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE d [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n` +
      model('<bpmn:startEvent id="Start" name="&secret;" />' + '<bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" /><bpmn:endEvent id="End" />').replace(/^<\?xml[^>]*>\s*/, '');
    const r = await compileBpmn(xml);
    const text = JSON.stringify(r.ok ? r.value.processes : r.failure);
    expect(text).not.toMatch(/root:/);
  });
});
