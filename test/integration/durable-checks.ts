// Checks shared by the durable integration tests: a case's stored state must agree with its
// history (replay, verify, gapless seq) and with its query projections; a refused command must
// leave every table exactly as it was.
import { readFileSync } from 'node:fs';
import { systemAccess } from '../../db/access.js';
import type { Database } from '../../db/connection.js';
import type { CaseRow } from '../../db/repositories/rows.js';
import { canonicalJson } from '../../engine/audit/index.js';
import type { InstanceState } from '../../engine/index.js';
import { replayCase, verifyCase } from '../../runtime/commands/history.js';
import type { Runtime } from '../../runtime/runtime.js';

export const durableModel = (name: string): string => readFileSync(new URL(`../fixtures/durable/${name}`, import.meta.url), 'utf8');

export const SYSTEM = systemAccess('test');

/** Every table Camau writes, in a fixed order. */
const TABLES = ['definitions', 'cases', 'case_events', 'tasks', 'timers', 'subscriptions', 'incidents', 'outbox', 'case_grants'];

/** A digest of every row of every table: equal before and after means nothing was written. */
export async function fingerprint(db: Database): Promise<Record<string, string>> {
  return db.transaction(SYSTEM, async (trx) => {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      const r = await trx.raw(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`);
      out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
    }
    return out;
  });
}

export async function caseRow(db: Database, caseId: string): Promise<CaseRow> {
  const row = await db.transaction(SYSTEM, (trx) => trx<CaseRow>('cases').where({ id: caseId }).first());
  if (!row) throw new Error(`no case ${caseId}`);
  return row;
}

export async function eventSeqs(db: Database, caseId: string): Promise<number[]> {
  const rows = await db.transaction(SYSTEM, (trx) => trx('case_events').where({ case_id: caseId }).orderBy('seq').pluck('seq'));
  return rows.map(Number);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Open user tasks of a snapshot, as the tasks projection should list them. */
export function openUserTasks(state: InstanceState): Array<{ eid: string; element_id: string; assignee: string | null }> {
  const out = [];
  for (const e of Object.values(state.elements)) {
    if (e.wait?.kind === 'userTask') out.push({ eid: e.id, element_id: e.el, assignee: e.wait.task.assignee ?? null });
  }
  return out.sort((a, b) => a.eid.localeCompare(b.eid));
}

/**
 * Everything that must hold for a stored case: replay equals the snapshot, verify is clean,
 * seq is gapless and matches the row's head, and the projections (tasks, timers,
 * subscriptions, incidents) agree with the snapshot. Returns a list of problems (empty: fine).
 */
export async function caseProblems(rt: Runtime, caseId: string): Promise<string[]> {
  const problems: string[] = [];
  const row = await caseRow(rt.db, caseId);
  const snap = row.snapshot;
  const replayed = await replayCase(rt, SYSTEM, caseId);
  if (!replayed.ok) problems.push(`replay failed: ${replayed.error.message}`);
  else if (canonicalJson(replayed.value.state) !== canonicalJson(snap)) problems.push('replay differs from the snapshot');
  const verified = await verifyCase(rt, SYSTEM, caseId);
  if (!verified.ok) problems.push(`verify failed: ${verified.error.message}`);
  else if (!verified.value.ok) problems.push(`verify: ${verified.value.reason} at ${verified.value.seq}: ${verified.value.message}`);
  const seqs = await eventSeqs(rt.db, caseId);
  if (canonicalJson(seqs) !== canonicalJson(range(seqs.length))) problems.push(`seq not gapless: ${seqs.join(',')}`);
  if (row.last_seq !== seqs.length) problems.push(`last_seq ${row.last_seq} but ${seqs.length} events`);
  if (row.status !== snap.status) problems.push(`status column ${row.status} but snapshot ${snap.status}`);

  const proj = await rt.db.transaction(SYSTEM, async (trx) => ({
    tasks: await trx('tasks').where({ case_id: caseId, status: 'open' }).orderBy('eid').select('eid', 'element_id', 'assignee'),
    timers: await trx('timers').where({ case_id: caseId, status: 'pending' }).orderBy('timer_id').select('timer_id', 'element_id', 'due_at'),
    subs: await trx('subscriptions').where({ case_id: caseId }).orderBy('sub_id').select('sub_id', 'kind', 'name', 'correlation_key'),
    incidents: await trx('incidents').where({ case_id: caseId, status: 'open' }).orderBy('incident_id').pluck('incident_id'),
  }));
  const sortBy = <T>(xs: T[], k: (x: T) => string) => [...xs].sort((a, b) => k(a).localeCompare(k(b)));
  const tasks = sortBy(proj.tasks as Array<{ eid: string; element_id: string; assignee: string | null }>, (t) => t.eid);
  if (canonicalJson(tasks) !== canonicalJson(openUserTasks(snap))) problems.push(`open tasks ${canonicalJson(tasks)} but snapshot has ${canonicalJson(openUserTasks(snap))}`);
  const timers = sortBy((proj.timers as Array<{ timer_id: string; element_id: string; due_at: Date | string }>).map((t) => ({ timerId: t.timer_id, el: t.element_id, dueAt: new Date(t.due_at).toISOString() })), (t) => t.timerId);
  const stateTimers = sortBy(Object.values(snap.timers).map((t) => ({ timerId: t.timerId, el: t.el, dueAt: new Date(t.dueAt).toISOString() })), (t) => t.timerId);
  if (canonicalJson(timers) !== canonicalJson(stateTimers)) problems.push(`pending timers ${canonicalJson(timers)} but snapshot has ${canonicalJson(stateTimers)}`);
  const subs = sortBy((proj.subs as Array<{ sub_id: string; kind: string; name: string | null; correlation_key: string | null }>).map((s) => ({ id: s.sub_id, kind: s.kind, name: s.name, key: s.correlation_key })), (s) => s.id);
  const stateSubs = sortBy(Object.values(snap.subs).map((s) => ({ id: s.id, kind: s.kind, name: s.name ?? null, key: s.correlationKey ?? null })), (s) => s.id);
  if (canonicalJson(subs) !== canonicalJson(stateSubs)) problems.push(`subscriptions ${canonicalJson(subs)} but snapshot has ${canonicalJson(stateSubs)}`);
  const incidents = [...(proj.incidents as string[])].sort();
  const stateIncidents = Object.keys(snap.incidents).sort();
  if (canonicalJson(incidents) !== canonicalJson(stateIncidents)) problems.push(`open incidents ${incidents.join(',')} but snapshot has ${stateIncidents.join(',')}`);
  return problems;
}

/** Jest-friendly form of caseProblems. */
export async function expectCaseConsistent(rt: Runtime, caseId: string): Promise<void> {
  expect({ caseId, problems: await caseProblems(rt, caseId) }).toEqual({ caseId, problems: [] });
}
