// What each kind of element does once a token has entered it (BPMN 2.0 chapter 13).
import type { UserTaskInfo, Variables } from '../types.js';
import type { Node } from '../model/graph.js';
import { parseDateTime, parseDuration } from '../time/index.js';
import { IncidentSignal, Run } from './run.js';
import { complete } from './flow.js';
import { gateway } from './gateways.js';
import { catchEvent, openScopeSubscriptions, startScope } from './catching.js';
import { throwEvent } from './throwing.js';
import { throwError } from './propagation.js';
import { decide } from './business-rule.js';

export function execute(r: Run, eid: string, n: Node): void {
  switch (n.type) {
    case 'startEvent':
    case 'boundaryEvent':
      r.later(() => complete(r, eid));
      return;
    case 'task':
    case 'manualTask':
      r.later(() => complete(r, eid));
      return;
    case 'scriptTask':
      return script(r, eid, n);
    case 'userTask':
      return userTask(r, eid, n);
    case 'serviceTask':
    case 'sendTask':
    case 'businessRuleTask':
      if (n.notify && !n.job) {
        sendNotification(r, eid, n);
        r.later(() => complete(r, eid));
        return;
      }
      if (n.decision) return decide(r, eid, n, n.decision);
      if (n.message && !n.job) {
        publish(r, eid, n, n.message.name, n.message.correlationKey ? String(r.evaluate(n.message.correlationKey, eid)) : undefined);
        r.later(() => complete(r, eid));
        return;
      }
      return job(r, eid, n);
    case 'receiveTask':
      return catchEvent(r, eid, n);
    case 'callActivity':
      return call(r, eid, n);
    case 'subProcess':
    case 'transaction':
    case 'adHocSubProcess':
      r.emit({ type: 'element.waiting', eid, wait: { kind: 'scope' } });
      if (openScopeSubscriptions(r, eid, n.eventSubProcesses ?? [])) return;
      startScope(r, eid, n);
      return;
    case 'exclusiveGateway':
    case 'parallelGateway':
    case 'inclusiveGateway':
    case 'complexGateway':
    case 'eventBasedGateway':
      return gateway(r, eid, n);
    case 'intermediateCatchEvent':
      return catchEvent(r, eid, n);
    case 'intermediateThrowEvent':
    case 'endEvent':
      return throwEvent(r, eid, n);
  }
}

function script(r: Run, eid: string, n: Node): void {
  const s = n.script;
  if (!s) throw new IncidentSignal('script-missing', `Script task ${n.id} has no script`, eid);
  if (s.expr) {
    const value = r.evaluate(s.expr, eid);
    r.later(() => complete(r, eid, s.resultVariable ? { [s.resultVariable]: value } : undefined));
    return;
  }
  const run = r.ctx.host?.runScript;
  if (!run) throw new IncidentSignal('script-runner-missing', `Script task ${n.id} needs a host script runner for "${s.format ?? 'unformatted'}" scripts`, eid);
  const out = run({ format: s.format, body: s.body ?? '', el: n.id }, r.visible(eid));
  for (const text of out.log ?? []) r.effect({ type: 'log', el: n.id, text });
  if (out.error) {
    const err = out.error;
    r.later(() => throwError(r, eid, err.code, err.message));
    return;
  }
  r.later(() => complete(r, eid, out.variables));
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((x) => x.trim()).filter(Boolean);
}

function valueOf(r: Run, eid: string, v: unknown): unknown {
  return typeof v === 'string' || v === undefined ? v : r.evaluate(v as never, eid);
}

/**
 * A notification: for a reminder or escalation, about its task; for camau:notify, with the
 * element's own variables (its input mappings) as the template's data.
 */
export function sendNotification(r: Run, eid: string, n: Node): void {
  const spec = n.notify!;
  const data = spec.task ? { task: spec.task, taskName: r.node(spec.task).name ?? spec.task } : { ...(r.ei(eid).vars ?? {}) };
  r.effect({ type: 'notify', template: spec.template, toRoles: spec.toRoles, data });
}

/** A due date is a date, or a duration counted from now in the task's calendar. */
export function dueFrom(r: Run, raw: unknown, calendarId: string | undefined, eid: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = String(raw);
  const d = parseDuration(text);
  if (d.ok) {
    const res = r.calendar(calendarId).add(r.ctx.now, d.value);
    if (!res.ok) throw new IncidentSignal('outside-calendar', res.message, eid);
    return res.value;
  }
  const at = parseDateTime(text);
  if (at.ok) return at.value;
  throw new IncidentSignal('invalid-due-date', `Due date "${text}" is neither an ISO-8601 date nor a duration`, eid);
}

/** The due date a user task gets when it opens (the same instant its reminders are counted from). */
export function taskDueAt(r: Run, eid: string, n: Node): string | undefined {
  const def = n.userTask ?? {};
  return dueFrom(r, valueOf(r, eid, def.dueDate), def.calendar, eid);
}

function userTask(r: Run, eid: string, n: Node): void {
  const def = n.userTask ?? {};
  const task: UserTaskInfo = {};
  if (n.name) task.name = n.name;
  if (def.names) task.names = def.names;
  const assignee = valueOf(r, eid, def.assignee);
  if (assignee) task.assignee = String(assignee);
  const groups = stringList(valueOf(r, eid, def.candidateGroups));
  if (groups) task.candidateGroups = groups;
  const users = stringList(valueOf(r, eid, def.candidateUsers));
  if (users) task.candidateUsers = users;
  if (def.formKey) task.formKey = def.formKey;
  const due = taskDueAt(r, eid, n);
  if (due) task.dueAt = due;
  const follow = dueFrom(r, valueOf(r, eid, def.followUpDate), def.calendar, eid);
  if (follow) task.followUpAt = follow;
  if (def.signoffRoles?.length) {
    task.signoffRoles = def.signoffRoles;
    task.signoffs = [];
    if (def.authorVariable) {
      const author = r.visible(eid)[def.authorVariable];
      if (author !== undefined && author !== null) task.authorId = String(author);
    }
  }
  r.emit({ type: 'element.waiting', eid, wait: { kind: 'userTask', task } });
  r.effect({ type: 'taskCreated', eid, el: n.id, task });
}

export function job(r: Run, eid: string, n: Node): void {
  const j = n.job ?? { type: n.id, retries: 3 };
  const type = String(valueOf(r, eid, j.type));
  r.emit({ type: 'element.waiting', eid, wait: { kind: 'job', type, retries: j.retries, jobId: eid } });
  r.effect({ type: 'activateJob', jobId: eid, eid, el: n.id, jobType: type, retries: j.retries, variables: { ...r.visible(eid) }, ...(j.headers ? { headers: j.headers } : {}) });
}

/**
 * A thrown message carries only the thrower's own variables (its input mappings): a message
 * may reach a case of another organisation, so the sender's case data must not ride along.
 */
export function publish(r: Run, eid: string, n: Node, name: string, correlationKey: string | undefined): void {
  r.effect({ type: 'publishMessage', name, ...(correlationKey !== undefined ? { correlationKey } : {}), variables: { ...(r.ei(eid).vars ?? {}) }, el: n.id });
}

function call(r: Run, eid: string, n: Node): void {
  if (n.globalTask) {
    const task = r.def.globalTasks[n.globalTask];
    execute(r, eid, { ...task, id: n.id, scope: n.scope, incoming: n.incoming, outgoing: n.outgoing, boundaries: n.boundaries });
    return;
  }
  const c = n.call!;
  const processKey = String(valueOf(r, eid, c.processId));
  // Without propagation the child gets only what the call activity's input mappings made local.
  const vars: Variables = c.inAll ? { ...r.visible(eid) } : { ...(r.ei(eid).vars ?? {}) };
  for (const m of c.inMappings ?? []) vars[m.target] = m.source ? r.evaluate(m.source, eid) : null;
  r.emit({ type: 'element.waiting', eid, wait: { kind: 'call', processKey, callId: eid } });
  r.effect({ type: 'startCall', callId: eid, eid, el: n.id, processKey, binding: c.binding, ...(c.version !== undefined ? { version: c.version } : {}), variables: vars });
}

/** Variables a finished called instance hands back to its call activity. */
export function callOutputs(r: Run, n: Node, childVars: Variables): Variables {
  const c = n.call;
  // Output mappings read the child's variables; applyOutputs keeps only what they map.
  if (!c || n.outputs?.length) return childVars;
  const out: Variables = c.outAll ? { ...childVars } : {};
  for (const m of c.outMappings ?? []) out[m.target] = m.source ? m.source.evaluate(childVars, { now: r.ctx.now, calendar: (id) => r.ctx.host?.calendar?.(id) }) : null;
  return out;
}

