// The BPMN specification's static constraints (engine/model/constraints.ts) against the betsy suite:
// every bpmn_constraints file must be rejected, every runtime file and typical Camunda Modeler output accepted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { checkConstraints } from '../../engine/model/constraints.js';

const PROCESSES = new URL('../conformance/betsy/processes/', import.meta.url).pathname;
const RUNTIME_GROUPS = ['basics', 'activities', 'gateways', 'events', 'data', 'errors', 'cfpatterns'];

const plain = new BpmnModdle();
async function parse(xml: string, moddle = plain) {
  const { rootElement, warnings } = await moddle.fromXML(xml);
  return { warnings, diagnostics: checkConstraints(rootElement) };
}

// 171 of the 301 files declare encoding="WINDOWS-1252", which bpmn-moddle reports as a warning. Counting that
// warning would "reject" them whatever they contain, so the per-file test re-declares them UTF-8 (every file is
// plain ASCII, the content is unchanged) and only real warnings or our diagnostics count as a rejection.
const utf8 = (xml: string): string => xml.replace(/encoding="WINDOWS-1252"/i, 'encoding="UTF-8"');

/** Static files that neither a real parse warning nor a rule rejects, and why. */
const KNOWN_UNDETECTED: Record<string, string> = {
  EXT012_5_failure_sequenceFlow: 'EXT.012 is narrowed to exempt untyped sequence flow conditions: betsy\'s runtime model WCP10_ArbitraryCycles has them and must run',
  EXT041_1_Fail_both_loop_markers: 'bpmn-moddle keeps only the last of two loopCharacteristics, without a warning, so the duplicate is invisible after parsing',
  EXT054_1_Fail_both_loop_markers: 'bpmn-moddle keeps only the last of two loopCharacteristics, without a warning, so the duplicate is invisible after parsing',
  EXT055_1_Fail_both_loop_markers: 'bpmn-moddle keeps only the last of two loopCharacteristics, without a warning, so the duplicate is invisible after parsing',
  EXT053_1_failure: 'EXT.053 (a script needs a scriptFormat) would reject every betsy runtime model: their script tasks have none',
  EXT071_1_Fail_invalid_completion_condition: 'EXT.071 needs the result type of an expression ("23" is not boolean); that is expression checking, not structure',
  EXT072_1_Fail_invalid_complex_behavior_condition: 'EXT.072 needs the result type of an expression ("23" is not boolean); that is expression checking, not structure',
  EXT128_1_failure_boundary: 'EXT.128 (operationRef required on message events) would reject all Camunda/Zeebe models, which never write operationRef',
  EXT128_2_failure_endEvent: 'EXT.128 (operationRef required on message events) would reject all Camunda/Zeebe models, which never write operationRef',
  EXT128_3_failure_intCatch: 'EXT.128 (operationRef required on message events) would reject all Camunda/Zeebe models, which never write operationRef',
  EXT128_4_failure_intThrow: 'EXT.128 (operationRef required on message events) would reject all Camunda/Zeebe models, which never write operationRef',
  EXT128_5_failure_startEvent: 'EXT.128 (operationRef required on message events) would reject all Camunda/Zeebe models, which never write operationRef',
  EXT132_1_fail_invalid_timeDate: 'timer value syntax is checked by compile.ts, not by the structural constraints',
  EXT133_1_fail_invalid_timeCycle: 'timer value syntax is checked by compile.ts, not by the structural constraints',
  EXT134_1_fail_invalid_timeDuration: 'timer value syntax is checked by compile.ts, not by the structural constraints',
  EXT145_1_failure_invalid_mime_type: 'EXT.145 (scriptFormat is a MIME type) would reject Camunda models, which write language names such as "groovy"',
};

/** Runtime files that violate a constraint on purpose: their expected outcome is ERROR, which a rejected deployment gives. */
const RUNTIME_VIOLATIONS: Record<string, string> = {
  'errors/Token_CompletionQuantity_Zero.bpmn': 'EXT.038',
  'errors/Token_StartQuantity_Zero.bpmn': 'EXT.037',
};

const staticFiles = readdirSync(join(PROCESSES, 'bpmn_constraints'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.bpmn'))
  .sort()
  .map((f) => ({ name: f.replace(/^.*\//, '').replace(/\.bpmn$/, ''), xml: readFileSync(join(PROCESSES, 'bpmn_constraints', f), 'utf8') }));

const runtimeFiles = RUNTIME_GROUPS.flatMap((group) =>
  readdirSync(join(PROCESSES, group)).filter((f) => f.endsWith('.bpmn')).map((f) => `${group}/${f}`),
);

describe('BPMN constraints: betsy bpmn_constraints files are rejected', () => {
  it('finds all 301 files', () => {
    expect(staticFiles).toHaveLength(301);
  });

  it.each(staticFiles)('$name', async ({ name, xml }) => {
    const { warnings, diagnostics } = await parse(utf8(xml));
    const rejected = warnings.length > 0 || diagnostics.length > 0;
    expect(rejected).toBe(!(name in KNOWN_UNDETECTED));
    for (const d of diagnostics) expect(d.message).toMatch(/\w+ .+/);
  });

  it('rejects every file as parsed as-is, counting the encoding warning (the deployment criterion)', async () => {
    const kept: string[] = [];
    for (const { name, xml } of staticFiles) {
      const { warnings, diagnostics } = await parse(xml);
      if (!warnings.length && !diagnostics.length) kept.push(name);
    }
    expect(kept).toEqual([]);
  });
});

describe('BPMN constraints: betsy runtime files are accepted', () => {
  it('finds the runtime files', () => {
    expect(runtimeFiles.length).toBe(136);
  });

  it.each(runtimeFiles)('%s', async (file) => {
    const { diagnostics } = await parse(readFileSync(join(PROCESSES, file), 'utf8'));
    expect(diagnostics.map((d) => d.code)).toEqual(RUNTIME_VIOLATIONS[file] ? [RUNTIME_VIOLATIONS[file]] : []);
  });
});

describe('BPMN constraints: diagnostics', () => {
  const file = (name: string) => staticFiles.find((f) => f.name === name)!.xml;

  it('names the constraint, the element and the problem', async () => {
    const { diagnostics } = await parse(file('EXT152_1_fail_1'));
    expect(diagnostics).toContainEqual({ code: 'EXT.152', elementId: '_8', message: 'Sequence flow _8 connects elements in different sub-processes' });
  });

  it('reports every violation, not just the first', async () => {
    const { diagnostics } = await parse(file('EXT087_1_failure_invalidReferencing'));
    expect(diagnostics.filter((d) => d.code === 'EXT.087')).toHaveLength(4);
  });

  it('reports a reference to an element of the wrong type', async () => {
    const { diagnostics } = await parse(file('REF_17'));
    expect(diagnostics).toEqual([{ code: 'REF', elementId: 'IF_1_O_1', message: 'Operation IF_1_O_1 references Message MSG_1 as errorRef, which must be of type Error' }]);
  });
});

// Typical Camunda Modeler output: diagram interchange, lanes, annotations, data, pools and message flows.
const NS = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;
const shape = (id: string, x = 100, y = 100) => `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="100" height="80" /></bpmndi:BPMNShape>`;
const edge = (id: string) => `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="0" y="0" /><di:waypoint x="50" y="0" /></bpmndi:BPMNEdge>`;
const diagram = (plane: string, shapes: string[], edges: string[]) =>
  `<bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${plane}">${shapes.map((s, i) => shape(s, 100 + 150 * i)).join('')}${edges.map(edge).join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;

const CAMUNDA7_COLLABORATION = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0">
  <bpmn:collaboration id="Collaboration_1">
    <bpmn:participant id="Participant_Consortium" name="Consortium" processRef="InterventionPlan" />
    <bpmn:participant id="Participant_LA" name="Local authority" />
    <bpmn:messageFlow id="MessageFlow_Escalate" sourceRef="Event_Escalated" targetRef="Participant_LA" />
    <bpmn:messageFlow id="MessageFlow_Decision" sourceRef="Participant_LA" targetRef="Event_Decision" />
    <bpmn:textAnnotation id="TextAnnotation_Pool"><bpmn:text>The LA is the employer in law</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="Association_Pool" sourceRef="Participant_LA" targetRef="TextAnnotation_Pool" />
  </bpmn:collaboration>
  <bpmn:process id="InterventionPlan" name="Intervention plan" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:documentation>Cynllun ymyrraeth / intervention plan</bpmn:documentation>
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_Adviser" name="Challenge adviser">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_Draft</bpmn:flowNodeRef><bpmn:flowNodeRef>Gateway_Approved</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_Escalated</bpmn:flowNodeRef><bpmn:flowNodeRef>Event_Decision</bpmn:flowNodeRef><bpmn:flowNodeRef>Event_Done</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_Head" name="Headteacher">
        <bpmn:flowNodeRef>Task_Review</bpmn:flowNodeRef><bpmn:flowNodeRef>Event_Reminder</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_Remind</bpmn:flowNodeRef><bpmn:flowNodeRef>Event_Reminded</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1" name="Plan requested" camunda:formKey="camunda-forms:app:start.form">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="Task_Draft" name="Draft plan" camunda:assignee="\${adviser}">
      <bpmn:documentation textFormat="text/plain">Drafted with the school</bpmn:documentation>
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:incoming>Flow_Rework</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:dataOutputAssociation id="DataOutputAssociation_1"><bpmn:targetRef>DataObjectReference_Plan</bpmn:targetRef></bpmn:dataOutputAssociation>
    </bpmn:userTask>
    <bpmn:userTask id="Task_Review" name="Review plan" camunda:candidateGroups="headteacher">
      <bpmn:extensionElements>
        <camunda:inputOutput><camunda:inputParameter name="deadline">\${dateTime().plusDays(5)}</camunda:inputParameter></camunda:inputOutput>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
      <bpmn:property id="Property_1" name="__targetRef_placeholder" />
      <bpmn:dataInputAssociation id="DataInputAssociation_1">
        <bpmn:sourceRef>DataObjectReference_Plan</bpmn:sourceRef>
        <bpmn:targetRef>Property_1</bpmn:targetRef>
      </bpmn:dataInputAssociation>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Event_Reminder" name="After 5 days" cancelActivity="false" attachedToRef="Task_Review">
      <bpmn:outgoing>Flow_Remind</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P5D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sendTask id="Task_Remind" name="Send reminder" camunda:class="cy.camau.Remind">
      <bpmn:incoming>Flow_Remind</bpmn:incoming>
      <bpmn:outgoing>Flow_Reminded</bpmn:outgoing>
    </bpmn:sendTask>
    <bpmn:endEvent id="Event_Reminded" name="Reminded">
      <bpmn:incoming>Flow_Reminded</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:exclusiveGateway id="Gateway_Approved" name="Approved?" default="Flow_Rework">
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:outgoing>Flow_Yes</bpmn:outgoing>
      <bpmn:outgoing>Flow_Rework</bpmn:outgoing>
      <bpmn:outgoing>Flow_Escalate</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:intermediateThrowEvent id="Event_Escalated" name="Escalated to the LA">
      <bpmn:incoming>Flow_Escalate</bpmn:incoming>
      <bpmn:outgoing>Flow_Wait</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MessageEventDefinition_Escalate" camunda:class="cy.camau.NotifyLa" />
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="Event_Decision" name="LA decision">
      <bpmn:incoming>Flow_Wait</bpmn:incoming>
      <bpmn:outgoing>Flow_Decided</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MessageEventDefinition_Decision" messageRef="Message_Decision" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="Event_Done" name="Plan agreed">
      <bpmn:incoming>Flow_Yes</bpmn:incoming>
      <bpmn:incoming>Flow_Decided</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Draft" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Draft" targetRef="Task_Review" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Review" targetRef="Gateway_Approved" />
    <bpmn:sequenceFlow id="Flow_Yes" name="yes" sourceRef="Gateway_Approved" targetRef="Event_Done">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${approved}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Rework" name="no" sourceRef="Gateway_Approved" targetRef="Task_Draft" />
    <bpmn:sequenceFlow id="Flow_Escalate" name="escalate" sourceRef="Gateway_Approved" targetRef="Event_Escalated">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">execution.getVariable('escalate') === true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Wait" sourceRef="Event_Escalated" targetRef="Event_Decision" />
    <bpmn:sequenceFlow id="Flow_Decided" sourceRef="Event_Decision" targetRef="Event_Done" />
    <bpmn:sequenceFlow id="Flow_Remind" sourceRef="Event_Reminder" targetRef="Task_Remind" />
    <bpmn:sequenceFlow id="Flow_Reminded" sourceRef="Task_Remind" targetRef="Event_Reminded" />
    <bpmn:dataObjectReference id="DataObjectReference_Plan" name="Intervention plan" dataObjectRef="DataObject_Plan" />
    <bpmn:dataObject id="DataObject_Plan" />
    <bpmn:textAnnotation id="TextAnnotation_1"><bpmn:text>Welsh and English copies</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="Association_1" sourceRef="Task_Draft" targetRef="TextAnnotation_1" />
  </bpmn:process>
  <bpmn:message id="Message_Decision" name="la-decision" />
  ${diagram('Collaboration_1',
    ['Participant_Consortium', 'Participant_LA', 'Lane_Adviser', 'Lane_Head', 'StartEvent_1', 'Task_Draft', 'Task_Review', 'Event_Reminder', 'Task_Remind', 'Event_Reminded', 'Gateway_Approved', 'Event_Escalated', 'Event_Decision', 'Event_Done', 'DataObjectReference_Plan', 'TextAnnotation_1', 'TextAnnotation_Pool'],
    ['Flow_1', 'Flow_2', 'Flow_3', 'Flow_Yes', 'Flow_Rework', 'Flow_Escalate', 'Flow_Wait', 'Flow_Decided', 'Flow_Remind', 'Flow_Reminded', 'MessageFlow_Escalate', 'MessageFlow_Decision', 'DataOutputAssociation_1', 'DataInputAssociation_1', 'Association_1', 'Association_Pool'])}
</bpmn:definitions>`;

const ZEEBE_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_2" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.4.0">
  <bpmn:process id="CapabilityProcedure" name="Capability procedure" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Concerns raised">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:parallelGateway id="Gateway_Split">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:parallelGateway>
    <bpmn:serviceTask id="Task_Notify" name="Notify governors">
      <bpmn:extensionElements><zeebe:taskDefinition type="notify" retries="3" /></bpmn:extensionElements>
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_4</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=governors" inputElement="governor" /></bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:serviceTask>
    <bpmn:callActivity id="Activity_Support" name="Support period">
      <bpmn:extensionElements><zeebe:calledElement processId="support-period" propagateAllChildVariables="false" /></bpmn:extensionElements>
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:outgoing>Flow_5</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:parallelGateway id="Gateway_Join">
      <bpmn:incoming>Flow_4</bpmn:incoming>
      <bpmn:incoming>Flow_5</bpmn:incoming>
      <bpmn:outgoing>Flow_6</bpmn:outgoing>
    </bpmn:parallelGateway>
    <bpmn:eventBasedGateway id="Gateway_Wait">
      <bpmn:incoming>Flow_6</bpmn:incoming>
      <bpmn:outgoing>Flow_7</bpmn:outgoing>
      <bpmn:outgoing>Flow_8</bpmn:outgoing>
    </bpmn:eventBasedGateway>
    <bpmn:intermediateCatchEvent id="Event_Evidence" name="Evidence received">
      <bpmn:incoming>Flow_7</bpmn:incoming>
      <bpmn:outgoing>Flow_9</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_Evidence" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Event_Deadline" name="28 days">
      <bpmn:incoming>Flow_8</bpmn:incoming>
      <bpmn:outgoing>Flow_10</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P28D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:exclusiveGateway id="Gateway_Merge">
      <bpmn:incoming>Flow_9</bpmn:incoming>
      <bpmn:incoming>Flow_10</bpmn:incoming>
      <bpmn:outgoing>Flow_11</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:subProcess id="Activity_Hearing" name="Hearing">
      <bpmn:incoming>Flow_11</bpmn:incoming>
      <bpmn:outgoing>Flow_12</bpmn:outgoing>
      <bpmn:startEvent id="Event_HearingStart"><bpmn:outgoing>Flow_H1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="Task_Hearing" name="Hold hearing">
        <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="hr-adviser" /></bpmn:extensionElements>
        <bpmn:incoming>Flow_H1</bpmn:incoming>
        <bpmn:outgoing>Flow_H2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:endEvent id="Event_HearingEnd"><bpmn:incoming>Flow_H2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="Flow_H1" sourceRef="Event_HearingStart" targetRef="Task_Hearing" />
      <bpmn:sequenceFlow id="Flow_H2" sourceRef="Task_Hearing" targetRef="Event_HearingEnd" />
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="Event_Withdrawn" name="Withdrawn" attachedToRef="Activity_Hearing">
      <bpmn:outgoing>Flow_13</bpmn:outgoing>
      <bpmn:errorEventDefinition id="ErrorEventDefinition_1" errorRef="Error_Withdrawn" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="Event_Concluded" name="Concluded">
      <bpmn:incoming>Flow_12</bpmn:incoming>
      <bpmn:signalEventDefinition id="SignalEventDefinition_1" signalRef="Signal_Concluded" />
    </bpmn:endEvent>
    <bpmn:endEvent id="Event_Closed" name="Closed">
      <bpmn:incoming>Flow_13</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:subProcess id="Activity_Sickness" name="Sickness absence" triggeredByEvent="true">
      <bpmn:startEvent id="Event_Sick" name="Absence reported" isInterrupting="false">
        <bpmn:outgoing>Flow_S1</bpmn:outgoing>
        <bpmn:messageEventDefinition id="MessageEventDefinition_2" messageRef="Message_Sick" />
      </bpmn:startEvent>
      <bpmn:userTask id="Task_Adjust" name="Adjust timetable">
        <bpmn:incoming>Flow_S1</bpmn:incoming>
        <bpmn:outgoing>Flow_S2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:endEvent id="Event_Adjusted"><bpmn:incoming>Flow_S2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="Flow_S1" sourceRef="Event_Sick" targetRef="Task_Adjust" />
      <bpmn:sequenceFlow id="Flow_S2" sourceRef="Task_Adjust" targetRef="Event_Adjusted" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Gateway_Split" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Gateway_Split" targetRef="Task_Notify" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Gateway_Split" targetRef="Activity_Support" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_Notify" targetRef="Gateway_Join" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Activity_Support" targetRef="Gateway_Join" />
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Gateway_Join" targetRef="Gateway_Wait" />
    <bpmn:sequenceFlow id="Flow_7" sourceRef="Gateway_Wait" targetRef="Event_Evidence" />
    <bpmn:sequenceFlow id="Flow_8" sourceRef="Gateway_Wait" targetRef="Event_Deadline" />
    <bpmn:sequenceFlow id="Flow_9" sourceRef="Event_Evidence" targetRef="Gateway_Merge" />
    <bpmn:sequenceFlow id="Flow_10" sourceRef="Event_Deadline" targetRef="Gateway_Merge" />
    <bpmn:sequenceFlow id="Flow_11" sourceRef="Gateway_Merge" targetRef="Activity_Hearing" />
    <bpmn:sequenceFlow id="Flow_12" sourceRef="Activity_Hearing" targetRef="Event_Concluded" />
    <bpmn:sequenceFlow id="Flow_13" sourceRef="Event_Withdrawn" targetRef="Event_Closed" />
  </bpmn:process>
  <bpmn:message id="Message_Evidence" name="evidence">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:message id="Message_Sick" name="sickness-absence">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=staffId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:error id="Error_Withdrawn" name="Withdrawn" errorCode="WITHDRAWN" />
  <bpmn:signal id="Signal_Concluded" name="concluded" />
  ${diagram('CapabilityProcedure',
    ['StartEvent_1', 'Gateway_Split', 'Task_Notify', 'Activity_Support', 'Gateway_Join', 'Gateway_Wait', 'Event_Evidence', 'Event_Deadline', 'Gateway_Merge', 'Activity_Hearing', 'Event_HearingStart', 'Task_Hearing', 'Event_HearingEnd', 'Event_Withdrawn', 'Event_Concluded', 'Event_Closed', 'Activity_Sickness', 'Event_Sick', 'Task_Adjust', 'Event_Adjusted'],
    ['Flow_1', 'Flow_2', 'Flow_3', 'Flow_4', 'Flow_5', 'Flow_6', 'Flow_7', 'Flow_8', 'Flow_9', 'Flow_10', 'Flow_11', 'Flow_12', 'Flow_13', 'Flow_H1', 'Flow_H2', 'Flow_S1', 'Flow_S2'])}
</bpmn:definitions>`;

const CAMUNDA7_LINKS_AND_ARTIFACTS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_3" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0">
  <bpmn:process id="Appraisal" name="Appraisal" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Cycle starts">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerEventDefinition_1"><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/2026-09-01T09:00:00Z/P1Y</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:startEvent>
    <bpmn:scriptTask id="Task_Load" name="Load objectives" scriptFormat="groovy" camunda:resultVariable="objectives">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:property id="Property_1" name="__targetRef_placeholder" />
      <bpmn:dataInputAssociation id="DataInputAssociation_1">
        <bpmn:sourceRef>DataStoreReference_HR</bpmn:sourceRef>
        <bpmn:targetRef>Property_1</bpmn:targetRef>
      </bpmn:dataInputAssociation>
      <bpmn:script>objectives.findAll { it.open }</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:inclusiveGateway id="Gateway_Split" default="Flow_Meeting">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_Observe</bpmn:outgoing>
      <bpmn:outgoing>Flow_Targets</bpmn:outgoing>
      <bpmn:outgoing>Flow_Meeting</bpmn:outgoing>
    </bpmn:inclusiveGateway>
    <bpmn:userTask id="Task_Observe" name="Observe lesson">
      <bpmn:incoming>Flow_Observe</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="Task_Targets" name="Agree targets">
      <bpmn:incoming>Flow_Targets</bpmn:incoming>
      <bpmn:outgoing>Flow_4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:manualTask id="Task_Meeting" name="Meet">
      <bpmn:incoming>Flow_Meeting</bpmn:incoming>
      <bpmn:outgoing>Flow_5</bpmn:outgoing>
    </bpmn:manualTask>
    <bpmn:inclusiveGateway id="Gateway_Join">
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:incoming>Flow_4</bpmn:incoming>
      <bpmn:incoming>Flow_5</bpmn:incoming>
      <bpmn:outgoing>Flow_6</bpmn:outgoing>
    </bpmn:inclusiveGateway>
    <bpmn:intermediateThrowEvent id="Event_ToReview" name="To review">
      <bpmn:incoming>Flow_6</bpmn:incoming>
      <bpmn:linkEventDefinition id="LinkEventDefinition_Throw" name="review" />
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateCatchEvent id="Event_Review" name="Review">
      <bpmn:outgoing>Flow_7</bpmn:outgoing>
      <bpmn:linkEventDefinition id="LinkEventDefinition_Catch" name="review" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateThrowEvent id="Event_Concern" name="Concern raised">
      <bpmn:incoming>Flow_7</bpmn:incoming>
      <bpmn:outgoing>Flow_8</bpmn:outgoing>
      <bpmn:escalationEventDefinition id="EscalationEventDefinition_1" escalationRef="Escalation_Concern" />
    </bpmn:intermediateThrowEvent>
    <bpmn:intermediateThrowEvent id="Event_Reviewed" name="Reviewed">
      <bpmn:incoming>Flow_8</bpmn:incoming>
      <bpmn:outgoing>Flow_9</bpmn:outgoing>
    </bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="Event_End" name="Cycle closed">
      <bpmn:incoming>Flow_9</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Load" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Load" targetRef="Gateway_Split" />
    <bpmn:sequenceFlow id="Flow_Observe" sourceRef="Gateway_Split" targetRef="Task_Observe">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${observation}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Targets" sourceRef="Gateway_Split" targetRef="Task_Targets">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">objectives.isEmpty()</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Meeting" sourceRef="Gateway_Split" targetRef="Task_Meeting" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Observe" targetRef="Gateway_Join" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_Targets" targetRef="Gateway_Join" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Task_Meeting" targetRef="Gateway_Join" />
    <bpmn:sequenceFlow id="Flow_6" sourceRef="Gateway_Join" targetRef="Event_ToReview" />
    <bpmn:sequenceFlow id="Flow_7" sourceRef="Event_Review" targetRef="Event_Concern" />
    <bpmn:sequenceFlow id="Flow_8" sourceRef="Event_Concern" targetRef="Event_Reviewed" />
    <bpmn:sequenceFlow id="Flow_9" sourceRef="Event_Reviewed" targetRef="Event_End" />
    <bpmn:dataStoreReference id="DataStoreReference_HR" name="HR system" />
    <bpmn:group id="Group_1" categoryValueRef="CategoryValue_1" />
    <bpmn:textAnnotation id="TextAnnotation_1"><bpmn:text>School days only</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="Association_1" associationDirection="None" sourceRef="Event_Review" targetRef="TextAnnotation_1" />
  </bpmn:process>
  <bpmn:category id="Category_1"><bpmn:categoryValue id="CategoryValue_1" value="Statutory" /></bpmn:category>
  <bpmn:escalation id="Escalation_Concern" name="Concern" escalationCode="CONCERN" />
  ${diagram('Appraisal',
    ['StartEvent_1', 'Task_Load', 'Gateway_Split', 'Task_Observe', 'Task_Targets', 'Task_Meeting', 'Gateway_Join', 'Event_ToReview', 'Event_Review', 'Event_Concern', 'Event_Reviewed', 'Event_End', 'DataStoreReference_HR', 'Group_1', 'TextAnnotation_1'],
    ['Flow_1', 'Flow_2', 'Flow_Observe', 'Flow_Targets', 'Flow_Meeting', 'Flow_3', 'Flow_4', 'Flow_5', 'Flow_6', 'Flow_7', 'Flow_8', 'Flow_9', 'DataInputAssociation_1', 'Association_1'])}
</bpmn:definitions>`;

const CAMUNDA7_TRANSACTION = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_4" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.20.0">
  <bpmn:process id="SicknessAbsence" name="Sickness absence" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Absence reported">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MessageEventDefinition_1" messageRef="Message_Reported" />
    </bpmn:startEvent>
    <bpmn:transaction id="Activity_Pay" name="Adjust pay">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
      <bpmn:startEvent id="Event_PayStart"><bpmn:outgoing>Flow_T1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:serviceTask id="Task_Deduct" name="Deduct sick pay" camunda:class="cy.camau.Deduct">
        <bpmn:incoming>Flow_T1</bpmn:incoming>
        <bpmn:outgoing>Flow_T2</bpmn:outgoing>
      </bpmn:serviceTask>
      <bpmn:boundaryEvent id="Event_Compensate" attachedToRef="Task_Deduct">
        <bpmn:compensateEventDefinition id="CompensateEventDefinition_1" />
      </bpmn:boundaryEvent>
      <bpmn:serviceTask id="Task_Refund" name="Refund" isForCompensation="true" camunda:class="cy.camau.Refund" />
      <bpmn:exclusiveGateway id="Gateway_Ok" name="Payroll accepted?" default="Flow_T3">
        <bpmn:incoming>Flow_T2</bpmn:incoming>
        <bpmn:outgoing>Flow_T3</bpmn:outgoing>
        <bpmn:outgoing>Flow_T4</bpmn:outgoing>
      </bpmn:exclusiveGateway>
      <bpmn:endEvent id="Event_PayDone"><bpmn:incoming>Flow_T3</bpmn:incoming></bpmn:endEvent>
      <bpmn:endEvent id="Event_PayCancel"><bpmn:incoming>Flow_T4</bpmn:incoming><bpmn:cancelEventDefinition id="CancelEventDefinition_1" /></bpmn:endEvent>
      <bpmn:sequenceFlow id="Flow_T1" sourceRef="Event_PayStart" targetRef="Task_Deduct" />
      <bpmn:sequenceFlow id="Flow_T2" sourceRef="Task_Deduct" targetRef="Gateway_Ok" />
      <bpmn:sequenceFlow id="Flow_T3" sourceRef="Gateway_Ok" targetRef="Event_PayDone" />
      <bpmn:sequenceFlow id="Flow_T4" sourceRef="Gateway_Ok" targetRef="Event_PayCancel">
        <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${!payrollAccepted}</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:association id="Association_Compensation" associationDirection="One" sourceRef="Event_Compensate" targetRef="Task_Refund" />
    </bpmn:transaction>
    <bpmn:boundaryEvent id="Event_Cancelled" attachedToRef="Activity_Pay">
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
      <bpmn:cancelEventDefinition id="CancelEventDefinition_2" />
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Task_Meetings" name="Hold welfare meeting">
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_4</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="\${meetings}" camunda:elementVariable="meeting" />
    </bpmn:userTask>
    <bpmn:receiveTask id="Task_FitNote" name="Fit note received" messageRef="Message_FitNote">
      <bpmn:incoming>Flow_4</bpmn:incoming>
      <bpmn:outgoing>Flow_5</bpmn:outgoing>
    </bpmn:receiveTask>
    <bpmn:endEvent id="Event_Notified" name="LA notified">
      <bpmn:incoming>Flow_5</bpmn:incoming>
      <bpmn:messageEventDefinition id="MessageEventDefinition_2" camunda:class="cy.camau.NotifyLa" />
    </bpmn:endEvent>
    <bpmn:endEvent id="Event_PayFailed" name="Pay not adjusted">
      <bpmn:incoming>Flow_3</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_Pay" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_Pay" targetRef="Task_Meetings" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_Cancelled" targetRef="Event_PayFailed" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_Meetings" targetRef="Task_FitNote" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Task_FitNote" targetRef="Event_Notified" />
  </bpmn:process>
  <bpmn:message id="Message_Reported" name="absence-reported" />
  <bpmn:message id="Message_FitNote" name="fit-note" />
  ${diagram('SicknessAbsence',
    ['StartEvent_1', 'Activity_Pay', 'Event_PayStart', 'Task_Deduct', 'Event_Compensate', 'Task_Refund', 'Gateway_Ok', 'Event_PayDone', 'Event_PayCancel', 'Event_Cancelled', 'Task_Meetings', 'Task_FitNote', 'Event_Notified', 'Event_PayFailed'],
    ['Flow_1', 'Flow_2', 'Flow_3', 'Flow_4', 'Flow_5', 'Flow_T1', 'Flow_T2', 'Flow_T3', 'Flow_T4', 'Association_Compensation'])}
</bpmn:definitions>`;

describe('BPMN constraints: typical Camunda Modeler output is accepted', () => {
  const flavours = { plain, camunda: new BpmnModdle({ camunda }), zeebe: new BpmnModdle({ zeebe }) };
  it.each([
    ['Camunda 7 collaboration with lanes, data and message flows', CAMUNDA7_COLLABORATION, flavours.camunda],
    ['Camunda 8 process with event-based gateway and event sub-process', ZEEBE_PROCESS, flavours.zeebe],
    ['link events by name, group, data store and script task', CAMUNDA7_LINKS_AND_ARTIFACTS, flavours.camunda],
    ['transaction with compensation, multi-instance and message end event', CAMUNDA7_TRANSACTION, flavours.camunda],
  ])('%s', async (_name, xml, flavour) => {
    for (const moddle of [flavour, plain]) {
      const { warnings, diagnostics } = await parse(xml, moddle);
      expect(warnings.map((w) => w.message)).toEqual([]);
      expect(diagnostics).toEqual([]);
    }
  });

  it.each([
    ['a message end event without message or implementation', CAMUNDA7_TRANSACTION, ' camunda:class="cy.camau.NotifyLa"', '', 'EXT.127'],
    ['link events whose names do not match', CAMUNDA7_LINKS_AND_ARTIFACTS, 'id="LinkEventDefinition_Catch" name="review"', 'id="LinkEventDefinition_Catch" name="reviews"', 'EXT.124'],
    ['a multi-instance activity without a collection', ZEEBE_PROCESS, '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=governors" inputElement="governor" /></bpmn:extensionElements>', '', 'EXT.067'],
    ['a message flow within one pool', CAMUNDA7_COLLABORATION, 'sourceRef="Participant_LA" targetRef="Event_Decision"', 'sourceRef="Event_Escalated" targetRef="Event_Decision"', 'EXT.031'],
  ])('still checks them: %s', async (_name, xml, from, to, code) => {
    expect(xml).toContain(from);
    const { diagnostics } = await parse(xml.replace(from, to), flavours.camunda);
    expect(diagnostics.map((d) => d.code)).toContain(code);
  });
});
