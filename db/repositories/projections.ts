// Query projections of case state (tasks, timers, subscriptions, incidents), kept in step
// with the history inside the same transaction. They are derived from the events and effects
// of a step, so they never need a diff of the whole state.
import type { Knex } from 'knex';
import type { Effect, EngineEvent, InstanceState } from '../../engine/index.js';

/** One change to the projections, as camau_apply (migration 0009) performs it; in the order a step made them. */
export type ProjectionOp =
  | ['jobs', Array<{ job_id: string; element_id: string; type: string; retries: number; activation: number }>]
  | ['tasks', Array<Record<string, unknown>>]
  | ['timers', Array<{ timer_id: string; element_id: string; due_at: string }>]
  | ['subscriptions', Array<{ sub_id: string; kind: string; name?: string; correlation_key?: string; element_id: string }>]
  | ['incidents', Array<{ incident_id: string; code: string; message: string; element_id?: string; eid?: string }>]
  | ['timer', { id: string; status: 'fired' | 'cancelled' }]
  | ['unsubscribe', { id: string }]
  | ['resolve', { id: string }]
  | ['task', { eid: string; assignee?: string; signoff?: Record<string, unknown> }]
  | ['close', { eid: string; status: string }]
  | ['cancelJob', { id: string }]
  | ['jobsDone', string[]]
  | ['failJob', { id: string }];

// Absent values are left out of the rows (the function reads a missing key as NULL).
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/**
 * The projection changes of one step. `before` is the state the step started from (null for a
 * new case): it tells which finished elements were jobs. New rows come first (jobs, tasks,
 * timers, subscriptions, incidents), then the changes the events make in their order, then those
 * of the effects, then the jobs that finished or failed.
 */
export function projectionOps(before: InstanceState | null, events: EngineEvent[], effects: Effect[], version: number): ProjectionOp[] {
  const ops: ProjectionOp[] = [];
  const taskRows: Array<Record<string, unknown>> = [];
  const timerRows: Array<{ timer_id: string; element_id: string; due_at: string }> = [];
  const subRows: Array<{ sub_id: string; kind: string; name?: string; correlation_key?: string; element_id: string }> = [];
  const incidentRows: Array<{ incident_id: string; code: string; message: string; element_id?: string; eid?: string }> = [];
  const jobRows: Array<{ job_id: string; element_id: string; type: string; retries: number; activation: number }> = [];
  for (const fx of effects) {
    if (fx.type === 'taskCreated') {
      const t = fx.task;
      taskRows.push({
        eid: fx.eid, element_id: fx.el, name: opt(t.name), names: opt(t.names),
        // Every role that can act on the task: its candidates and, for a joint sign-off, each signing role.
        assignee: opt(t.assignee), candidate_groups: [...new Set([...(t.candidateGroups ?? []), ...(t.signoffRoles ?? [])])], candidate_users: t.candidateUsers ?? [],
        form_key: opt(t.formKey), due_at: opt(t.dueAt), follow_up_at: opt(t.followUpAt),
        signoff: t.signoffRoles ? { roles: t.signoffRoles, signoffs: t.signoffs ?? [], authorId: t.authorId ?? null } : undefined,
      });
    }
    if (fx.type === 'activateJob') jobRows.push({ job_id: fx.jobId, element_id: fx.el, type: fx.jobType, retries: fx.retries, activation: version });
  }
  for (const e of events) {
    if (e.type === 'timer.scheduled') timerRows.push({ timer_id: e.timer.timerId, element_id: e.timer.el, due_at: e.timer.dueAt });
    if (e.type === 'subscription.opened') subRows.push({ sub_id: e.sub.id, kind: e.sub.kind, name: opt(e.sub.name), correlation_key: opt(e.sub.correlationKey), element_id: e.sub.el });
    if (e.type === 'incident.raised') incidentRows.push({ incident_id: e.incident.id, code: e.incident.code, message: e.incident.message, element_id: opt(e.incident.el), eid: opt(e.incident.eid) });
  }
  if (jobRows.length) ops.push(['jobs', jobRows]);
  if (taskRows.length) ops.push(['tasks', taskRows]);
  if (timerRows.length) ops.push(['timers', timerRows]);
  if (subRows.length) ops.push(['subscriptions', subRows]);
  if (incidentRows.length) ops.push(['incidents', incidentRows]);

  for (const e of events) {
    switch (e.type) {
      case 'timer.fired':
      case 'timer.cancelled':
        ops.push(['timer', { id: e.timerId, status: e.type === 'timer.fired' ? 'fired' : 'cancelled' }]);
        break;
      case 'subscription.closed':
        ops.push(['unsubscribe', { id: e.id }]);
        break;
      case 'incident.resolved':
        ops.push(['resolve', { id: e.id }]);
        break;
      case 'task.updated':
        ops.push(['task', {
          eid: e.eid,
          assignee: opt(e.task.assignee),
          signoff: e.task.signoffRoles ? { roles: e.task.signoffRoles, signoffs: e.task.signoffs ?? [], authorId: e.task.authorId ?? null } : undefined,
        }]);
        break;
      default:
        break;
    }
  }
  for (const fx of effects) {
    if (fx.type === 'taskClosed') ops.push(['close', { eid: fx.eid, status: fx.outcome }]);
    if (fx.type === 'cancelJob') ops.push(['cancelJob', { id: fx.jobId }]);
  }
  // A job whose element completed, or that failed for good, is no longer open.
  const done = events.flatMap((e) => (e.type === 'element.completed' && before?.elements[e.eid]?.wait?.kind === 'job' ? [e.eid] : []));
  if (done.length) ops.push(['jobsDone', done]);
  for (const e of events) {
    if (e.type === 'incident.raised' && e.incident.retry?.kind === 'job') ops.push(['failJob', { id: e.incident.retry.eid }]);
  }
  return ops;
}

/** Applies one step's projection changes to a case, inside the caller's transaction. */
export async function project(trx: Knex, caseId: string, before: InstanceState | null, events: EngineEvent[], effects: Effect[], at: string, version: number): Promise<void> {
  const ops = projectionOps(before, events, effects, version);
  if (ops.length) await trx.raw('select camau_apply(?::jsonb)', [JSON.stringify({ case: caseId, at, ops })]);
}
