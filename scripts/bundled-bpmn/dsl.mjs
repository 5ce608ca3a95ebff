// A small vocabulary for writing the bundled BPMN models as semantic XML (no diagram): Zeebe
// extensions (`zeebe:`) with FEEL (`=...`), and Camau's own (`camau:`) for bilingual names and
// documentation, calendars, due dates, joint sign-off, reminders and escalation. build.mjs lays
// the result out with bpmn-auto-layout and writes workflows/bpmn/<id>.bpmn.
//
// Every element has a Welsh and an English name: the `name` attribute (what Camunda Modeler and
// bpmn-js show) is "Cymraeg / English", Welsh first, and user tasks also carry camau:name per
// language (what Camau's inbox shows each person in their language).

const NS = {
  bpmn: 'http://www.omg.org/spec/BPMN/20100524/MODEL',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  zeebe: 'http://camunda.org/schema/zeebe/1.0',
  modeler: 'http://camunda.org/schema/modeler/1.0',
  camau: 'https://camau.cymru/schema/1.0',
};

export const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A label in both languages: `{ cy, en }`. */
export const label = (l) => (l ? `${l.cy} / ${l.en}` : undefined);

/** A process or sub-process: nodes and flows, in the order written. */
export class Container {
  constructor(id, name, opts = {}) {
    this.id = id;
    this.name = name;
    this.opts = opts;
    this.items = [];
    this.flowCount = 0;
  }

  add(node) {
    this.items.push(node);
    return node;
  }

  /** A sequence flow; `opts.cond` is a FEEL condition (without the leading `=`), `opts.isDefault` makes it its source's default. */
  flow(from, to, opts = {}) {
    const id = opts.id ?? `Flow_${from}_${to}`;
    this.items.push({ kind: 'sequenceFlow', id, from, to, ...opts });
    return id;
  }

  /** Flows from each id to the next. */
  chain(...ids) {
    for (let i = 1; i < ids.length; i++) this.flow(ids[i - 1], ids[i]);
  }

  sub(id, name, opts = {}) {
    const c = new Container(id, name, opts);
    this.items.push({ kind: 'subProcess', id, name, container: c, ...opts });
    return c;
  }
}

// ---- nodes -------------------------------------------------------------------------------

export const start = (id, name, opts = {}) => ({ kind: 'startEvent', id, name, ...opts });
export const end = (id, name, opts = {}) => ({ kind: 'endEvent', id, name, ...opts });
export const catchEvent = (id, name, opts = {}) => ({ kind: 'intermediateCatchEvent', id, name, ...opts });
export const boundary = (id, name, attachedTo, opts = {}) => ({ kind: 'boundaryEvent', id, name, attachedTo, ...opts });
export const xor = (id, name, opts = {}) => ({ kind: 'exclusiveGateway', id, name, ...opts });
export const and = (id, name, opts = {}) => ({ kind: 'parallelGateway', id, name, ...opts });
export const eventGateway = (id, name, opts = {}) => ({ kind: 'eventBasedGateway', id, name, ...opts });

/**
 * A user task. opts: groups (candidate groups), assignee (FEEL), due (FEEL or duration),
 * calendar, reminders [{ before, every, to, template }], escalation { after, role },
 * signoff { roles, authorVariable }, doc { cy, en }, loop { collection, element }.
 */
export const userTask = (id, name, opts = {}) => ({ kind: 'userTask', id, name, ...opts });

/** A script task: a FEEL expression (`=...`) whose result goes to resultVariable, plus output mappings [{ target, source }]. */
export const scriptTask = (id, name, opts = {}) => ({ kind: 'scriptTask', id, name, ...opts });

/**
 * A notification: a send task with Camau's camau:notify (the engine sends it and moves on; no
 * worker needed), naming the template and the roles it goes to; inputs [{ target, source }] are
 * the template's data.
 */
export const notifyTask = (id, name, opts = {}) => ({ kind: 'sendTask', id, name, ...opts });

/**
 * A business-rule task calling a DMN decision (`zeebe:calledDecision`): opts.decision (the
 * decision id; the latest deployed version decides), opts.resultVariable, opts.doc.
 */
export const businessRuleTask = (id, name, opts = {}) => ({ kind: 'businessRuleTask', id, name, ...opts });

// ---- timers, messages, escalations -------------------------------------------------------

export const timer = (kind, value, calendar) => ({ type: 'timer', timer: { kind, value, calendar } });
export const message = (ref) => ({ type: 'message', ref });
export const escalation = (ref) => ({ type: 'escalation', ref });

// ---- serialisation -----------------------------------------------------------------------

const ind = (n) => '  '.repeat(n);

function docs(n, d) {
  if (!n.doc) return [];
  return [`${ind(d)}<bpmn:documentation>${esc(`${n.doc.cy}\n\n${n.doc.en}`)}</bpmn:documentation>`];
}

function names(n, d) {
  if (!n.name) return [];
  const out = [`${ind(d)}<camau:name lang="cy">${esc(n.name.cy)}</camau:name>`, `${ind(d)}<camau:name lang="en">${esc(n.name.en)}</camau:name>`];
  if (n.doc) out.push(`${ind(d)}<camau:documentation lang="cy">${esc(n.doc.cy)}</camau:documentation>`, `${ind(d)}<camau:documentation lang="en">${esc(n.doc.en)}</camau:documentation>`);
  return out;
}

function ioMapping(n, d) {
  if (!n.inputs?.length && !n.outputs?.length) return [];
  return [
    `${ind(d)}<zeebe:ioMapping>`,
    ...(n.inputs ?? []).map((m) => `${ind(d + 1)}<zeebe:input source="${esc(m.source)}" target="${esc(m.target)}" />`),
    ...(n.outputs ?? []).map((m) => `${ind(d + 1)}<zeebe:output source="${esc(m.source)}" target="${esc(m.target)}" />`),
    `${ind(d)}</zeebe:ioMapping>`,
  ];
}

function extensionsOf(n, d) {
  const lines = [];
  switch (n.kind) {
    case 'userTask': {
      lines.push(`${ind(d)}<zeebe:userTask />`);
      const a = [n.assignee ? `assignee="${esc(n.assignee)}"` : '', n.groups ? `candidateGroups="${esc(n.groups)}"` : ''].filter(Boolean).join(' ');
      if (a) lines.push(`${ind(d)}<zeebe:assignmentDefinition ${a} />`);
      lines.push(...ioMapping(n, d));
      lines.push(...names(n, d));
      if (n.signoff) lines.push(`${ind(d)}<camau:signoff roles="${esc(n.signoff.roles)}"${n.signoff.authorVariable ? ` authorVariable="${esc(n.signoff.authorVariable)}"` : ''} />`);
      for (const r of n.reminders ?? []) {
        const attrs = ['before', 'every', 'to', 'template', 'calendar'].filter((k) => r[k]).map((k) => `${k}="${esc(r[k])}"`).join(' ');
        lines.push(`${ind(d)}<camau:reminder ${attrs} />`);
      }
      if (n.escalation) {
        const attrs = ['after', 'role', 'template', 'calendar'].filter((k) => n.escalation[k]).map((k) => `${k}="${esc(n.escalation[k])}"`).join(' ');
        lines.push(`${ind(d)}<camau:escalation ${attrs} />`);
      }
      break;
    }
    case 'scriptTask':
      lines.push(`${ind(d)}<zeebe:script expression="${esc(n.expression)}"${n.resultVariable ? ` resultVariable="${esc(n.resultVariable)}"` : ''} />`);
      lines.push(...ioMapping(n, d));
      lines.push(...names(n, d));
      break;
    case 'businessRuleTask':
      lines.push(`${ind(d)}<zeebe:calledDecision decisionId="${esc(n.decision)}" resultVariable="${esc(n.resultVariable)}" />`);
      lines.push(...names(n, d));
      break;
    case 'sendTask':
      lines.push(`${ind(d)}<camau:notify template="${esc(n.template)}" to="${esc(n.to)}" />`);
      lines.push(...ioMapping(n, d));
      lines.push(...names(n, d));
      break;
    default:
      if (n.name && n.kind !== 'sequenceFlow') lines.push(...names(n, d));
  }
  if (lines.length === 0) return [];
  return [`${ind(d - 1)}<bpmn:extensionElements>`, ...lines, `${ind(d - 1)}</bpmn:extensionElements>`];
}

function eventDefinition(ev, d, model) {
  if (!ev) return [];
  if (ev.type === 'timer') {
    const tag = { date: 'timeDate', duration: 'timeDuration', cycle: 'timeCycle' }[ev.timer.kind];
    return [
      `${ind(d)}<bpmn:timerEventDefinition id="${model.nextId('TimerEventDefinition')}"${ev.timer.calendar ? ` camau:calendar="${ev.timer.calendar}"` : ''}>`,
      `${ind(d + 1)}<bpmn:${tag} xsi:type="bpmn:tFormalExpression">${esc(ev.timer.value)}</bpmn:${tag}>`,
      `${ind(d)}</bpmn:timerEventDefinition>`,
    ];
  }
  if (ev.type === 'message') return [`${ind(d)}<bpmn:messageEventDefinition id="${model.nextId('MessageEventDefinition')}" messageRef="${ev.ref}" />`];
  if (ev.type === 'escalation') return [`${ind(d)}<bpmn:escalationEventDefinition id="${model.nextId('EscalationEventDefinition')}" escalationRef="${ev.ref}" />`];
  if (ev.type === 'terminate') return [`${ind(d)}<bpmn:terminateEventDefinition id="${model.nextId('TerminateEventDefinition')}" />`];
  throw new Error(`unknown event definition ${ev.type}`);
}

function serialiseContainer(c, d, model) {
  const out = [];
  const defaults = new Map(c.items.filter((i) => i.kind === 'sequenceFlow' && i.isDefault).map((f) => [f.from, f.id]));
  const flows = c.items.filter((i) => i.kind === 'sequenceFlow');
  for (const n of c.items) {
    if (n.kind === 'sequenceFlow') {
      const attrs = `id="${n.id}"${n.name ? ` name="${esc(label(n.name))}"` : ''} sourceRef="${n.from}" targetRef="${n.to}"`;
      if (n.cond) out.push(`${ind(d)}<bpmn:sequenceFlow ${attrs}>`, `${ind(d + 1)}<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(`=${n.cond}`)}</bpmn:conditionExpression>`, `${ind(d)}</bpmn:sequenceFlow>`);
      else out.push(`${ind(d)}<bpmn:sequenceFlow ${attrs} />`);
      continue;
    }
    const attrs = [`id="${n.id}"`];
    if (n.name) attrs.push(`name="${esc(label(n.name))}"`);
    if (n.kind === 'boundaryEvent') {
      attrs.push(`attachedToRef="${n.attachedTo}"`);
      if (n.interrupting === false) attrs.push('cancelActivity="false"');
    }
    if (n.kind === 'startEvent' && n.interrupting === false) attrs.push('isInterrupting="false"');
    if (n.kind === 'subProcess' && n.triggeredByEvent) attrs.push('triggeredByEvent="true"');
    if (defaults.has(n.id)) attrs.push(`default="${defaults.get(n.id)}"`);
    const body = [...docs(n, d + 1), ...extensionsOf(n, d + 2)];
    // incoming/outgoing as Camunda Modeler writes them (the layout follows them).
    for (const f of flows.filter((x) => x.to === n.id)) body.push(`${ind(d + 1)}<bpmn:incoming>${f.id}</bpmn:incoming>`);
    for (const f of flows.filter((x) => x.from === n.id)) body.push(`${ind(d + 1)}<bpmn:outgoing>${f.id}</bpmn:outgoing>`);
    if (n.loop) {
      body.push(
        `${ind(d + 1)}<bpmn:multiInstanceLoopCharacteristics>`,
        `${ind(d + 2)}<bpmn:extensionElements>`,
        `${ind(d + 3)}<zeebe:loopCharacteristics inputCollection="${esc(n.loop.collection)}" inputElement="${esc(n.loop.element)}" />`,
        `${ind(d + 2)}</bpmn:extensionElements>`,
        `${ind(d + 1)}</bpmn:multiInstanceLoopCharacteristics>`,
      );
    }
    if (n.kind === 'subProcess') body.push(...serialiseContainer(n.container, d + 1, model));
    body.push(...eventDefinition(n.event, d + 1, model));
    if (n.kind === 'userTask') {
      // Due date and calendar are Camau's (counted in school, working or calendar days).
      if (n.due) attrs.push(`camau:due="${esc(n.due)}"`);
      if (n.calendar) attrs.push(`camau:calendar="${n.calendar}"`);
    }
    const tag = `bpmn:${n.kind}`;
    if (body.length === 0) out.push(`${ind(d)}<${tag} ${attrs.join(' ')} />`);
    else out.push(`${ind(d)}<${tag} ${attrs.join(' ')}>`, ...body, `${ind(d)}</${tag}>`);
  }
  return out;
}

/** A BPMN file with one executable process. */
export class Model {
  constructor(id, name, doc) {
    this.process = new Container(id, name);
    this.doc = doc;
    this.messages = [];
    this.escalations = [];
    this.counter = 0;
  }

  nextId(prefix) {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  message(id, name, correlationKey) {
    this.messages.push({ id, name, correlationKey });
    return id;
  }

  escalation(id, code) {
    this.escalations.push({ id, code });
    return id;
  }

  toXml() {
    const p = this.process;
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<bpmn:definitions xmlns:bpmn="${NS.bpmn}" xmlns:xsi="${NS.xsi}" xmlns:zeebe="${NS.zeebe}" xmlns:modeler="${NS.modeler}" xmlns:camau="${NS.camau}" id="Definitions_${p.id}" targetNamespace="https://camau.cymru/workflows" exporter="Camau (scripts/bundled-bpmn)" exporterVersion="1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">`,
      `  <bpmn:process id="${p.id}" name="${esc(label(p.name))}" isExecutable="true">`,
      ...(this.doc ? [`    <bpmn:documentation>${esc(`${this.doc.cy}\n\n${this.doc.en}`)}</bpmn:documentation>`] : []),
      `    <bpmn:extensionElements>`,
      `      <camau:name lang="cy">${esc(p.name.cy)}</camau:name>`,
      `      <camau:name lang="en">${esc(p.name.en)}</camau:name>`,
      ...(this.doc ? [`      <camau:documentation lang="cy">${esc(this.doc.cy)}</camau:documentation>`, `      <camau:documentation lang="en">${esc(this.doc.en)}</camau:documentation>`] : []),
      `    </bpmn:extensionElements>`,
      ...serialiseContainer(p, 2, this),
      '  </bpmn:process>',
      ...this.messages.map((m) => `  <bpmn:message id="${m.id}" name="${m.name}">\n    <bpmn:extensionElements>\n      <zeebe:subscription correlationKey="${esc(m.correlationKey)}" />\n    </bpmn:extensionElements>\n  </bpmn:message>`),
      ...this.escalations.map((e) => `  <bpmn:escalation id="${e.id}" name="${e.code}" escalationCode="${e.code}" />`),
      '</bpmn:definitions>',
      '',
    ];
    return lines.join('\n');
  }

  /**
   * Ids of the sub-processes the layout draws expanded: all but the event sub-processes of the
   * process itself, which are drawn collapsed (each on a plane of its own, opened with the
   * drill-down arrow), so that they do not widen the first column of the whole diagram.
   */
  expandedSubProcessIds(c = this.process) {
    return c.items
      .filter((n) => n.kind === 'subProcess')
      .flatMap((n) => [...(c === this.process && n.triggeredByEvent ? [] : [n.id]), ...this.expandedSubProcessIds(n.container)]);
  }
}

/** `="P" + string(x) + "W"`: a count of (school) weeks or days held in a variable as an ISO duration. */
export const weeks = (v) => `"P" + string(${v}) + "W"`;
export const days = (v) => `"P" + string(${v}) + "D"`;

/** A policy value with its default: `if x = null then <default> else x`. */
export const setting = (name, dflt) => ({ target: name, source: `=if ${name} = null then ${dflt} else ${name}` });
