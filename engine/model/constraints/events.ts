// Event rules: which triggers each kind of event may have, and how events are placed and connected.
import { ancestor, eventDefinitions, hasVendorExtension, idOf, isA, isEventSubProcess, isLink, label, list, triggers, type El, type Model, type Report, type Rule } from './model.js';

/** Reports an event whose triggers are not all among the allowed ones. */
function allowTriggers(report: Report, code: string, event: El, allowed: string[], what: string): void {
  const bad = triggers(event).filter((t) => !allowed.includes(t));
  if (bad.length) {
    report(code, event, `${label(event)} has a ${bad.join(' and ')} trigger, which ${what} may not have (allowed: ${allowed.join(', ') || 'none'})`);
  }
}

const NON_INTERRUPTING = ['message', 'timer', 'escalation', 'conditional', 'signal'];
const INTERRUPTING_START = [...NON_INTERRUPTING, 'error', 'compensate'];
const INTERRUPTING_BOUNDARY = [...INTERRUPTING_START, 'cancel'];
const containerOf = (event: El): El | undefined => event.$parent;
const linkDef = (event: El): El | undefined => eventDefinitions(event).find((d) => isA(d, 'bpmn:LinkEventDefinition'));
/** Link events of the other kind on the same process level with the same name. */
const namesake = (m: Model, event: El, type: string): boolean =>
  m.of(type).some((other) => isLink(other) && containerOf(other) === containerOf(event) && linkDef(other)?.name === linkDef(event)?.name);

export const eventRules: Rule[] = [
  // EXT.011: an escalation end or intermediate throw event in an executable process names an escalation with a code.
  (m, report) => {
    for (const event of [...m.of('bpmn:EndEvent'), ...m.of('bpmn:IntermediateThrowEvent')]) {
      const def = eventDefinitions(event).find((d) => isA(d, 'bpmn:EscalationEventDefinition'));
      if (def && m.executable(event) && !def.escalationRef?.escalationCode) {
        report('EXT.011', event, `${label(event)} throws an escalation without an escalation code`);
      }
    }
  },
  // EXT.058, EXT.129: an event sub-process has exactly one start event, and it has a trigger.
  (m, report) => {
    for (const sub of m.of('bpmn:SubProcess').filter(isEventSubProcess)) {
      const starts = list(sub.flowElements).filter((e) => isA(e, 'bpmn:StartEvent'));
      if (starts.length !== 1) report('EXT.058', sub, `Event sub-process ${idOf(sub)} has ${starts.length} start events; it must have exactly one`);
      for (const start of starts.filter((s) => !triggers(s).length)) {
        report('EXT.129', start, `Start event ${idOf(start)} of event sub-process ${idOf(sub)} has no trigger`);
      }
    }
  },
  // EXT.059: the triggers allowed for the start event of an event sub-process.
  (m, report) => {
    for (const start of m.of('bpmn:StartEvent').filter((s) => isEventSubProcess(s.$parent))) {
      allowTriggers(report, 'EXT.059', start, start.isInterrupting === false ? NON_INTERRUPTING : INTERRUPTING_START, 'an event sub-process start event');
    }
  },
  // EXT.095: an event definition contained in a throw event must not be used by another event.
  (m, report) => {
    for (const event of m.of('bpmn:Event')) {
      for (const def of list(event.eventDefinitionRef).filter((d) => isA(d.$parent, 'bpmn:ThrowEvent'))) {
        report('EXT.095', event, `${label(event)} uses event definition ${idOf(def)}, which belongs to ${label(def.$parent)}`);
      }
    }
  },
  // EXT.097, EXT.105: a process level with an end event has a start event, and one with a start event has an end event.
  (m, report) => {
    for (const container of [...m.of('bpmn:Process'), ...m.of('bpmn:SubProcess')]) {
      const has = (type: string): boolean => list(container.flowElements).some((e) => isA(e, type));
      if (has('bpmn:EndEvent') && !has('bpmn:StartEvent')) report('EXT.097', container, `${label(container)} has an end event but no start event`);
      if (has('bpmn:StartEvent') && !has('bpmn:EndEvent')) report('EXT.105', container, `${label(container)} has a start event but no end event`);
    }
  },
  // EXT.098: a top-level start event is a none, message, timer, conditional or signal start event.
  (m, report) => {
    for (const start of m.of('bpmn:StartEvent').filter((s) => isA(s.$parent, 'bpmn:Process'))) {
      allowTriggers(report, 'EXT.098', start, ['message', 'timer', 'conditional', 'signal'], 'a top-level start event');
    }
  },
  // EXT.100: a start event of a sub-process that is not an event sub-process has no trigger.
  (m, report) => {
    for (const start of m.of('bpmn:StartEvent').filter((s) => isA(s.$parent, 'bpmn:SubProcess') && !isEventSubProcess(s.$parent))) {
      allowTriggers(report, 'EXT.100', start, [], 'a sub-process start event');
    }
  },
  // EXT.106: a cancel end event is only allowed within a transaction.
  (m, report) => {
    for (const end of m.of('bpmn:EndEvent')) {
      if (triggers(end).includes('cancel') && !ancestor(end, 'bpmn:Transaction')) {
        report('EXT.106', end, `Cancel end event ${idOf(end)} is not inside a transaction`);
      }
    }
  },
  // EXT.110, EXT.130 (repeated as EXT.147): a boundary event has a trigger, of a kind allowed for (non-)interrupting boundary events.
  (m, report) => {
    for (const event of m.of('bpmn:BoundaryEvent')) {
      if (!triggers(event).length) report('EXT.130', event, `Boundary event ${idOf(event)} has no trigger`);
      else if (event.cancelActivity === false) allowTriggers(report, 'EXT.110', event, NON_INTERRUPTING, 'a non-interrupting boundary event');
      else allowTriggers(report, 'EXT.110', event, INTERRUPTING_BOUNDARY, 'an interrupting boundary event');
    }
  },
  // EXT.111 (also EXT.120): a cancel boundary event is only attached to a transaction.
  (m, report) => {
    for (const event of m.of('bpmn:BoundaryEvent')) {
      if (triggers(event).includes('cancel') && event.attachedToRef && !isA(event.attachedToRef, 'bpmn:Transaction')) {
        report('EXT.111', event, `Cancel boundary event ${idOf(event)} is attached to ${label(event.attachedToRef)}, which is not a transaction`);
      }
    }
  },
  // EXT.112-EXT.114, EXT.144: a boundary event has no incoming flow; it has outgoing flows, unless it is a compensation
  // boundary event, which instead is associated with compensation activities only.
  (m, report) => {
    for (const event of m.of('bpmn:BoundaryEvent')) {
      const compensation = triggers(event).includes('compensate');
      if (m.incoming(event).length) report('EXT.112', event, `Boundary event ${idOf(event)} must not have an incoming sequence flow`);
      if (!compensation && !m.outgoing(event).length) report('EXT.113', event, `Boundary event ${idOf(event)} has no outgoing sequence flow`);
      if (compensation && m.outgoing(event).length) {
        report('EXT.114', event, `Compensation boundary event ${idOf(event)} must not have outgoing sequence flows`);
      }
      for (const assoc of m.of('bpmn:Association').filter((a) => compensation && a.sourceRef === event && !a.targetRef?.isForCompensation)) {
        report('EXT.144', event, `Compensation boundary event ${idOf(event)} is associated with ${label(assoc.targetRef)}, which is not a compensation activity`);
      }
    }
  },
  // EXT.115-EXT.117: intermediate events have incoming and outgoing flows, except that a link catch event
  // has no incoming and a link throw event no outgoing flow.
  (m, report) => {
    for (const event of [...m.of('bpmn:IntermediateCatchEvent'), ...m.of('bpmn:IntermediateThrowEvent')]) {
      const catching = isA(event, 'bpmn:IntermediateCatchEvent');
      const [inbound, outbound] = [m.incoming(event).length > 0, m.outgoing(event).length > 0];
      if (isLink(event) && (catching ? inbound : outbound)) {
        report('EXT.117', event, `Link ${catching ? 'catch' : 'throw'} event ${idOf(event)} must not have ${catching ? 'incoming' : 'outgoing'} sequence flows`);
      }
      if (!inbound && !(catching && isLink(event))) report('EXT.115', event, `${label(event)} has no incoming sequence flow`);
      if (!outbound && !(!catching && isLink(event))) report('EXT.116', event, `${label(event)} has no outgoing sequence flow`);
    }
  },
  // EXT.118, EXT.126: a link throw event's target is a link catch event that names it as a source, on the same process level.
  (m, report) => {
    for (const event of m.of('bpmn:IntermediateThrowEvent').filter(isLink)) {
      const target = linkDef(event)!.target;
      if (!target) continue;
      const catcher = target.$parent;
      if (!isA(catcher, 'bpmn:IntermediateCatchEvent') || (list(target.source).length && !list(target.source).includes(linkDef(event)!))) {
        report('EXT.118', event, `Link throw event ${idOf(event)} targets ${idOf(target)}, which does not name it as a source`);
      }
      else if (containerOf(catcher) !== containerOf(event)) {
        report('EXT.126', event, `Link throw event ${idOf(event)} and its target ${idOf(catcher)} are on different process levels`);
      }
    }
  },
  // EXT.124, EXT.125: a link catch event has a source, a link throw event a target (given explicitly or by a namesake on the same level).
  (m, report) => {
    for (const event of m.of('bpmn:IntermediateCatchEvent').filter(isLink)) {
      if (!list(linkDef(event)!.source).length && !namesake(m, event, 'bpmn:IntermediateThrowEvent')) {
        report('EXT.124', event, `Link catch event ${idOf(event)} has no source link`);
      }
    }
    for (const event of m.of('bpmn:IntermediateThrowEvent').filter(isLink)) {
      if (!linkDef(event)!.target && !namesake(m, event, 'bpmn:IntermediateCatchEvent')) {
        report('EXT.125', event, `Link throw event ${idOf(event)} has no target link`);
      }
    }
  },
  // EXT.127: a message event definition in an executable process names its message (unless a vendor extension implements it).
  (m, report) => {
    for (const def of m.of('bpmn:MessageEventDefinition')) {
      const event: El = isA(def.$parent, 'bpmn:Event') ? def.$parent! : def;
      if (!def.messageRef && m.executable(def) && !hasVendorExtension(def) && !hasVendorExtension(event)) {
        report('EXT.127', event, `${label(event)} has a message trigger that names no message`);
      }
    }
  },
  // EXT.131: a timer has at most one of timeDate, timeCycle and timeDuration.
  (m, report) => {
    for (const timer of m.of('bpmn:TimerEventDefinition')) {
      if ([timer.timeDate, timer.timeCycle, timer.timeDuration].filter(Boolean).length > 1) {
        report('EXT.131', timer, `The timer of ${label(timer.$parent)} sets more than one of timeDate, timeCycle and timeDuration`);
      }
    }
  },
  // EXT.146: an end event has no link, conditional or timer trigger.
  (m, report) => {
    const allowed = ['message', 'escalation', 'error', 'cancel', 'compensate', 'signal', 'terminate'];
    for (const end of m.of('bpmn:EndEvent')) allowTriggers(report, 'EXT.146', end, allowed, 'an end event');
  },
  // EXT.148 (EXT.122 for compensation): an intermediate catch event has a message, timer, conditional, link or signal trigger.
  (m, report) => {
    for (const event of m.of('bpmn:IntermediateCatchEvent')) {
      if (!triggers(event).length) report('EXT.148', event, `Intermediate catch event ${idOf(event)} has no trigger`);
      allowTriggers(report, 'EXT.148', event, ['message', 'timer', 'conditional', 'link', 'signal'], 'an intermediate catch event');
    }
  },
  // EXT.149: an intermediate throw event is a none, message, escalation, link, compensation or signal event.
  (m, report) => {
    const allowed = ['message', 'escalation', 'link', 'compensate', 'signal'];
    for (const event of m.of('bpmn:IntermediateThrowEvent')) allowTriggers(report, 'EXT.149', event, allowed, 'an intermediate throw event');
  },
];
