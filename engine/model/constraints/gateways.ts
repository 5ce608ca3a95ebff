// Gateway rules: gateway directions and the event-based gateway's configuration.
import { idOf, isA, label, triggers, type El, type Rule } from './model.js';

/** What may follow an event-based gateway: a receive task, or a catch event waiting for a message, signal, timer or condition. */
const waitsForEvent = (el: El): boolean =>
  isA(el, 'bpmn:ReceiveTask') ||
  (isA(el, 'bpmn:IntermediateCatchEvent') && triggers(el).length > 0 && triggers(el).every((t) => ['message', 'signal', 'timer', 'conditional'].includes(t)));

export const gatewayRules: Rule[] = [
  // EXT.017-EXT.019: a converging gateway has at most one outgoing flow, a diverging gateway at most one incoming flow,
  // and a mixed gateway several of both.
  (m, report) => {
    for (const gw of m.of('bpmn:Gateway')) {
      const [ins, outs] = [m.incoming(gw).length, m.outgoing(gw).length];
      if (gw.gatewayDirection === 'Converging' && outs > 1) report('EXT.017', gw, `Converging ${label(gw)} has ${outs} outgoing sequence flows`);
      if (gw.gatewayDirection === 'Diverging' && ins > 1) report('EXT.018', gw, `Diverging ${label(gw)} has ${ins} incoming sequence flows`);
      if (gw.gatewayDirection === 'Mixed' && (ins < 2 || outs < 2)) {
        report('EXT.019', gw, `Mixed ${label(gw)} must have several incoming and several outgoing sequence flows`);
      }
    }
  },
  // EXT.135: a gateway has several incoming or several outgoing sequence flows.
  (m, report) => {
    for (const gw of m.of('bpmn:Gateway')) {
      if (m.incoming(gw).length < 2 && m.outgoing(gw).length < 2) {
        report('EXT.135', gw, `${label(gw)} must have several incoming or several outgoing sequence flows`);
      }
    }
  },
  // EXT.136-EXT.142: an event-based gateway has at least two unconditional outgoing flows, each to a receive task
  // (without boundary events) or a message/signal/timer/conditional catch event that has no other incoming flow;
  // receive tasks and message catch events are not mixed; a gateway that instantiates has no incoming flow.
  (m, report) => {
    for (const gw of m.of('bpmn:EventBasedGateway')) {
      const outgoing = m.outgoing(gw);
      const targets = outgoing.map((f) => f.targetRef).filter(Boolean);
      if (outgoing.length < 2) report('EXT.136', gw, `Event-based gateway ${idOf(gw)} must have at least two outgoing sequence flows`);
      for (const flow of outgoing.filter((f) => f.conditionExpression)) {
        report('EXT.137', flow, `Sequence flow ${idOf(flow)} leaves event-based gateway ${idOf(gw)} and must not have a condition`);
      }
      for (const target of targets.filter((t) => !waitsForEvent(t))) {
        report('EXT.138', gw, `Event-based gateway ${idOf(gw)} leads to ${label(target)}, which is neither a receive task nor a message, signal, timer or conditional catch event`);
      }
      if (targets.some((t) => isA(t, 'bpmn:ReceiveTask')) && targets.some((t) => isA(t, 'bpmn:IntermediateCatchEvent') && triggers(t).includes('message'))) {
        report('EXT.139', gw, `Event-based gateway ${idOf(gw)} leads to both receive tasks and message catch events`);
      }
      for (const task of targets.filter((t) => isA(t, 'bpmn:ReceiveTask') && m.of('bpmn:BoundaryEvent').some((b) => b.attachedToRef === t))) {
        report('EXT.140', gw, `Receive task ${idOf(task)} after event-based gateway ${idOf(gw)} must not have boundary events`);
      }
      for (const target of targets.filter((t) => m.incoming(t).length > 1)) {
        report('EXT.141', gw, `${label(target)} after event-based gateway ${idOf(gw)} must not have other incoming sequence flows`);
      }
      if (gw.instantiate && m.incoming(gw).length) {
        report('EXT.142', gw, `Event-based gateway ${idOf(gw)} instantiates the process and must not have incoming sequence flows`);
      }
    }
  },
];
