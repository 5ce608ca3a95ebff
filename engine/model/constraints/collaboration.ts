// Collaboration rules: pools, message flows, choreographies and conversations.
import { ancestor, idOf, isA, label, list, triggers, type El, type Model, type Rule } from './model.js';

/** The pool (participant, or process when no participant names it) an interaction node belongs to. */
function poolOf(m: Model, node: El): El | undefined {
  if (isA(node, 'bpmn:Participant')) return node;
  const process = ancestor(node, 'bpmn:Process');
  return m.of('bpmn:Participant').find((p) => p.processRef === process) ?? process;
}

export const collaborationRules: Rule[] = [
  // EXT.008, EXT.009 (REF otherwise): a message flow must connect interaction nodes, never artifacts.
  (m, report) => {
    for (const flow of m.of('bpmn:MessageFlow')) {
      for (const [end, code, role] of [[flow.targetRef, 'EXT.008', 'target'], [flow.sourceRef, 'EXT.009', 'source']] as const) {
        if (isA(end, 'bpmn:Artifact')) report(code, flow, `Message flow ${idOf(flow)} has the artifact ${idOf(end)} as its ${role}`);
        else if (end && !isA(end, 'bpmn:InteractionNode')) {
          report('REF', flow, `Message flow ${idOf(flow)} has ${label(end)} as its ${role}, which must be a participant, activity or event`);
        }
      }
    }
  },
  // EXT.027: a choreography or a global conversation must not reference a choreography.
  (m, report) => {
    for (const el of [...m.of('bpmn:Choreography'), ...m.of('bpmn:GlobalConversation')]) {
      if (list(el.choreographyRef).length) report('EXT.027', el, `${label(el)} must not reference a choreography`);
    }
  },
  // EXT.029, EXT.030: a participant multiplicity needs minimum >= 0 and maximum >= max(1, minimum).
  (m, report) => {
    for (const mult of m.of('bpmn:ParticipantMultiplicity')) {
      const { minimum = 0, maximum = 1 } = mult;
      if (minimum < 0) report('EXT.029', mult, `The multiplicity of ${label(mult.$parent)} has a negative minimum (${minimum})`);
      if (maximum < 1 || maximum < minimum) {
        report('EXT.030', mult, `The multiplicity of ${label(mult.$parent)} has maximum ${maximum}, which must be at least 1 and at least the minimum (${minimum})`);
      }
    }
  },
  // EXT.031: a message flow must connect two different pools.
  (m, report) => {
    for (const flow of m.of('bpmn:MessageFlow')) {
      const [source, target] = [flow.sourceRef, flow.targetRef];
      if (source && target && (source === target || poolOf(m, source) === poolOf(m, target))) {
        report('EXT.031', flow, `Message flow ${idOf(flow)} connects elements of the same pool`);
      }
    }
  },
  // EXT.032: a global conversation must not contain conversation nodes.
  (m, report) => {
    for (const conv of m.of('bpmn:GlobalConversation')) {
      if (list(conv.conversations).length) report('EXT.032', conv, `Global conversation ${idOf(conv)} must not contain conversation nodes`);
    }
  },
  // EXT.035: a public process must not be executable.
  (m, report) => {
    for (const process of m.of('bpmn:Process')) {
      if (process.processType === 'Public' && process.isExecutable) {
        report('EXT.035', process, `Process ${idOf(process)} is public and must not be executable`);
      }
    }
  },
  // EXT.036, EXT.056: processes and sub-processes must not contain choreography activities.
  (m, report) => {
    for (const chor of m.of('bpmn:ChoreographyActivity')) {
      const container = chor.$parent!;
      if (isA(container, 'bpmn:Process')) report('EXT.036', chor, `Process ${idOf(container)} must not contain the choreography activity ${idOf(chor)}`);
      if (isA(container, 'bpmn:SubProcess')) {
        report('EXT.056', chor, `Sub-process ${idOf(container)} must not contain the choreography activity ${idOf(chor)}`);
      }
    }
  },
  // EXT.102, EXT.103: a start event must not send message flows; one that receives them needs a message trigger.
  (m, report) => {
    for (const start of m.of('bpmn:StartEvent')) {
      if (m.messageOut(start).length) report('EXT.102', start, `Start event ${idOf(start)} must not be the source of a message flow`);
      if (m.messageIn(start).length && !triggers(start).includes('message')) {
        report('EXT.103', start, `Start event ${idOf(start)} receives a message flow but has no message trigger`);
      }
    }
  },
  // EXT.108, EXT.109: an end event must not receive message flows; one that sends them needs a message result.
  (m, report) => {
    for (const end of m.of('bpmn:EndEvent')) {
      if (m.messageIn(end).length) report('EXT.108', end, `End event ${idOf(end)} must not be the target of a message flow`);
      if (m.messageOut(end).length && !triggers(end).includes('message')) {
        report('EXT.109', end, `End event ${idOf(end)} sends a message flow but has no message result`);
      }
    }
  },
  // EXT.119: an intermediate catch event must not send message flows, an intermediate throw event must not receive them.
  (m, report) => {
    for (const event of m.of('bpmn:IntermediateCatchEvent')) {
      if (m.messageOut(event).length) report('EXT.119', event, `Intermediate catch event ${idOf(event)} must not be the source of a message flow`);
    }
    for (const event of m.of('bpmn:IntermediateThrowEvent')) {
      if (m.messageIn(event).length) report('EXT.119', event, `Intermediate throw event ${idOf(event)} must not be the target of a message flow`);
    }
  },
];
