// Sequence flow rules: what a sequence flow may connect, and the flows every node needs.
import { ancestor, idOf, isA, isCompensation, isEventSubProcess, isLink, label, list, type El, type Model, type Rule } from './model.js';

const flowNodes = (m: Model): El[] => m.of('bpmn:FlowNode');
/** Flow nodes that sequence flows may connect: activities, gateways and events. */
const connectable = (el: El): boolean => ['bpmn:Activity', 'bpmn:Gateway', 'bpmn:Event'].some((t) => isA(el, t));
/** Nodes that a process never enters or leaves by sequence flow. */
const detached = (el: El): boolean => isEventSubProcess(el) || isCompensation(el);
/** Whether the document lists incoming/outgoing flows on its nodes at all (bpmn-js and most tools always do). */
const listsFlows = (m: Model): boolean => flowNodes(m).some((n) => list(n.incoming).length > 0 || list(n.outgoing).length > 0);

export const sequenceFlowRules: Rule[] = [
  // EXT.006, EXT.007: an artifact must not be the target or source of a sequence flow.
  (m, report) => {
    for (const flow of m.of('bpmn:SequenceFlow')) {
      if (isA(flow.targetRef, 'bpmn:Artifact')) report('EXT.006', flow, `Sequence flow ${idOf(flow)} targets the artifact ${idOf(flow.targetRef)}`);
      if (isA(flow.sourceRef, 'bpmn:Artifact')) report('EXT.007', flow, `Sequence flow ${idOf(flow)} starts at the artifact ${idOf(flow.sourceRef)}`);
    }
  },
  // EXT.021, EXT.022: only activities, gateways and events may be the source or target of a sequence flow.
  (m, report) => {
    for (const flow of m.of('bpmn:SequenceFlow')) {
      const check = (code: string, end: El | undefined, role: string): void => {
        if (end && !isA(end, 'bpmn:Artifact') && !connectable(end)) {
          report(code, flow, `Sequence flow ${idOf(flow)} has ${label(end)} as its ${role}; only activities, gateways and events may be`);
        }
      };
      check('EXT.021', flow.sourceRef, 'source');
      check('EXT.022', flow.targetRef, 'target');
    }
  },
  // EXT.057 (also part of EXT.021/022): an event sub-process must not have incoming or outgoing sequence flows.
  (m, report) => {
    for (const sub of m.of('bpmn:SubProcess').filter(isEventSubProcess)) {
      if (m.incoming(sub).length || m.outgoing(sub).length) {
        report('EXT.057', sub, `Event sub-process ${idOf(sub)} must not be connected by sequence flows`);
      }
    }
  },
  // EXT.023: a node that lists its incoming/outgoing flows must list exactly the flows that end/start there
  // (applied when the document lists flows on its nodes at all, as bpmn-js output always does).
  (m, report) => {
    const listing = listsFlows(m);
    for (const node of flowNodes(m)) {
      for (const [prop, actual, end] of [['incoming', m.incoming(node), 'targetRef'], ['outgoing', m.outgoing(node), 'sourceRef']] as const) {
        const listed = list(node[prop]);
        for (const flow of listed) {
          if (isA(flow, 'bpmn:SequenceFlow') && flow[end] !== node) {
            report('EXT.023', node, `${label(node)} lists ${idOf(flow)} as ${prop}, but that flow does not ${prop === 'incoming' ? 'end' : 'start'} there`);
          }
        }
        if (!listing) continue;
        for (const flow of actual) {
          if (!listed.includes(flow)) report('EXT.023', flow, `Sequence flow ${idOf(flow)} is not listed as ${prop} of ${label(node)}`);
        }
      }
    }
  },
  // EXT.024: in an executable process, isImmediate must not be false.
  (m, report) => {
    for (const flow of m.of('bpmn:SequenceFlow')) {
      if (flow.isImmediate === false && m.executable(flow)) {
        report('EXT.024', flow, `Sequence flow ${idOf(flow)} has isImmediate="false", which an executable process does not allow`);
      }
    }
  },
  // EXT.025: a conditional sequence flow must not be the only outgoing flow of an activity.
  (m, report) => {
    for (const flow of m.of('bpmn:SequenceFlow')) {
      const source = flow.sourceRef;
      if (flow.conditionExpression && isA(source, 'bpmn:Activity') && m.outgoing(source).length < 2) {
        report('EXT.025', flow, `Conditional sequence flow ${idOf(flow)} is the only outgoing flow of ${label(source)}`);
      }
    }
  },
  // EXT.026: a default flow must start at the activity or gateway that names it.
  (m, report) => {
    for (const node of flowNodes(m)) {
      if (node.default && isA(node.default, 'bpmn:SequenceFlow') && node.default.sourceRef !== node) {
        report('EXT.026', node, `${label(node)} names ${idOf(node.default)} as its default flow, but that flow does not start there`);
      }
    }
  },
  // EXT.028, EXT.152: a sequence flow must not cross the border of a pool or of a sub-process.
  (m, report) => {
    for (const flow of m.of('bpmn:SequenceFlow')) {
      const ends = [flow.sourceRef, flow.targetRef].filter((end) => end && connectable(end));
      if (ends.every((end) => end.$parent === flow.$parent)) continue;
      const pool = (el: El): El | undefined => (isA(el, 'bpmn:Process') ? el : ancestor(el, 'bpmn:Process'));
      if (ends.some((end) => pool(end) !== pool(flow))) report('EXT.028', flow, `Sequence flow ${idOf(flow)} connects elements in different pools`);
      else report('EXT.152', flow, `Sequence flow ${idOf(flow)} connects elements in different sub-processes`);
    }
  },
  // EXT.096, EXT.101: a start event must have no incoming and at least one outgoing sequence flow.
  (m, report) => {
    for (const start of m.of('bpmn:StartEvent')) {
      if (m.incoming(start).length) report('EXT.096', start, `Start event ${idOf(start)} must not have an incoming sequence flow`);
      if (!m.outgoing(start).length) report('EXT.101', start, `Start event ${idOf(start)} has no outgoing sequence flow`);
    }
  },
  // EXT.104, EXT.107: an end event must have at least one incoming and no outgoing sequence flow.
  (m, report) => {
    for (const end of m.of('bpmn:EndEvent')) {
      if (m.outgoing(end).length) report('EXT.104', end, `End event ${idOf(end)} must not have an outgoing sequence flow`);
      if (!m.incoming(end).length) report('EXT.107', end, `End event ${idOf(end)} has no incoming sequence flow`);
    }
  },
  // EXT.150: where a start event is used, every other flow node must have an incoming sequence flow.
  (m, report) => {
    for (const node of flowNodes(m)) {
      const exempt = isA(node, 'bpmn:StartEvent') || isA(node, 'bpmn:BoundaryEvent') || detached(node) || (isA(node, 'bpmn:IntermediateCatchEvent') && isLink(node));
      const hasStart = list(node.$parent?.flowElements).some((e) => isA(e, 'bpmn:StartEvent'));
      if (!exempt && hasStart && connectable(node) && !m.incoming(node).length) {
        report('EXT.150', node, `${label(node)} has no incoming sequence flow, although its process level uses a start event`);
      }
    }
  },
  // EXT.151: where an end event is used, every other flow node must have an outgoing sequence flow.
  (m, report) => {
    for (const node of flowNodes(m)) {
      const compensationBoundary = isA(node, 'bpmn:BoundaryEvent') && list(node.eventDefinitions).some((d) => isA(d, 'bpmn:CompensateEventDefinition'));
      const exempt = isA(node, 'bpmn:EndEvent') || compensationBoundary || detached(node) || (isA(node, 'bpmn:IntermediateThrowEvent') && isLink(node));
      const hasEnd = list(node.$parent?.flowElements).some((e) => isA(e, 'bpmn:EndEvent'));
      if (!exempt && hasEnd && connectable(node) && !m.outgoing(node).length) {
        report('EXT.151', node, `${label(node)} has no outgoing sequence flow, although its process level uses an end event`);
      }
    }
  },
];
