// The four benchmark workloads as BPMN XML, one file per engine with the same graph.
// Camau: service tasks are jobs (`zeebe:taskDefinition`), conditions are FEEL (`=approved`).
// bpmn-engine: service tasks call `environment.services.work` (which calls back at once), the
// condition is its own expression syntax over `environment.output`, where bench/peer.ts puts the
// user task's result.

export type Flavour = 'camau' | 'peer';
export type WorkloadName = 'a' | 'b' | 'c' | 'd';

const head = (id: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}-defs" targetNamespace="https://camau.cymru/bench">
  <bpmn:process id="${id}" isExecutable="true">`;
const tail = `
  </bpmn:process>
</bpmn:definitions>
`;

function serviceTask(id: string, flavour: Flavour): string {
  return flavour === 'camau'
    ? `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="work" /></bpmn:extensionElements></bpmn:serviceTask>`
    : `<bpmn:serviceTask id="${id}" implementation="\${environment.services.work}" />`;
}

const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** (a) start -> 10 sequential service tasks -> end. */
export function sequential(flavour: Flavour, n = 10): string {
  const parts = [`<bpmn:startEvent id="start" />`];
  let prev = 'start';
  for (let i = 1; i <= n; i++) {
    parts.push(flow(`f${i}`, prev, `s${i}`), serviceTask(`s${i}`, flavour));
    prev = `s${i}`;
  }
  parts.push(flow('f-end', prev, 'end'), `<bpmn:endEvent id="end" />`);
  return head('seq') + '\n    ' + parts.join('\n    ') + tail;
}

/** (b) start -> parallel fork into 8 branches of one service task each -> parallel join -> end. */
export function parallel(flavour: Flavour, n = 8): string {
  const parts = [`<bpmn:startEvent id="start" />`, flow('f0', 'start', 'fork'), `<bpmn:parallelGateway id="fork" />`];
  for (let i = 1; i <= n; i++) {
    parts.push(flow(`fo${i}`, 'fork', `s${i}`), serviceTask(`s${i}`, flavour), flow(`fi${i}`, `s${i}`, 'join'));
  }
  parts.push(`<bpmn:parallelGateway id="join" />`, flow('f-end', 'join', 'end'), `<bpmn:endEvent id="end" />`);
  return head('par') + '\n    ' + parts.join('\n    ') + tail;
}

/** (c) and (d) start -> user task -> exclusive gateway on `approved` -> two end events. */
export function decision(flavour: Flavour): string {
  const condition = flavour === 'camau' ? '=approved' : '${environment.output.approved}';
  const parts = [
    `<bpmn:startEvent id="start" />`,
    flow('f1', 'start', 'review'),
    `<bpmn:userTask id="review" name="Review" />`,
    flow('f2', 'review', 'decide'),
    `<bpmn:exclusiveGateway id="decide" default="f-rejected" />`,
    `<bpmn:sequenceFlow id="f-approved" sourceRef="decide" targetRef="approved"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
    flow('f-rejected', 'decide', 'rejected'),
    `<bpmn:endEvent id="approved" />`,
    `<bpmn:endEvent id="rejected" />`,
  ];
  return head('decision') + '\n    ' + parts.join('\n    ') + tail;
}

export function model(name: WorkloadName, flavour: Flavour): string {
  return name === 'a' ? sequential(flavour) : name === 'b' ? parallel(flavour) : decision(flavour);
}

export const DESCRIPTIONS: Record<WorkloadName, string> = {
  a: 'start -> 10 sequential service tasks -> end',
  b: 'parallel fork into 8 branches (one service task each) -> parallel join -> end',
  c: 'user task -> exclusive gateway on `approved` -> two end events',
  d: 'as (c), but the waiting instance is serialised to JSON and restored before completing',
};
