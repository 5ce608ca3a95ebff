// How cases and tasks look in API responses.
import { openWaits, outstandingRoles, type InstanceState } from '../engine/index.js';
import type { CaseWithOrgs } from './cases-repo.js';

export function caseSummary(c: CaseWithOrgs) {
  return {
    id: c.id,
    definition: { key: c.definition_key, version: c.definition_version },
    status: c.status,
    version: c.version,
    la: c.tenant_id,
    school: c.school_id,
    subject: c.subject_kind === 'staff' ? { kind: 'staff', personId: c.subject_person_id } : { kind: 'school', schoolId: c.school_id },
    employer: c.employer,
    createdAt: new Date(c.created_at).toISOString(),
    updatedAt: new Date(c.updated_at).toISOString(),
  };
}

export function activeSteps(state: InstanceState) {
  return openWaits(state).map((e) => {
    const w = e.wait;
    // An element without a wait is stuck on an incident (listed under incidents too).
    if (!w) return { eid: e.id, element: e.el, kind: 'incident' as const };
    const base = { eid: e.id, element: e.el, kind: w.kind };
    if (w.kind !== 'userTask') return base;
    const t = w.task;
    return {
      ...base,
      name: t.name ?? e.el,
      ...(t.names ? { names: t.names } : {}),
      ...(t.dueAt ? { dueAt: t.dueAt } : {}),
      ...(t.assignee ? { assignee: t.assignee } : {}),
      candidateGroups: t.candidateGroups ?? [],
      ...(t.signoffRoles ? { signoff: { roles: t.signoffRoles, outstanding: outstandingRoles(t), signoffs: t.signoffs ?? [] } } : {}),
    };
  });
}

export function caseView(c: CaseWithOrgs, opts: { variables: boolean }) {
  const s = c.snapshot;
  return {
    ...caseSummary(c),
    active: activeSteps(s),
    timers: Object.values(s.timers).map((t) => ({ timerId: t.timerId, element: t.el, dueAt: t.dueAt })),
    incidents: Object.values(s.incidents).map((i) => ({ id: i.id, code: i.code, message: i.message, element: i.el })),
    ...(s.failure ? { failure: s.failure } : {}),
    ...(opts.variables ? { variables: s.vars } : {}),
  };
}
