// What one command reads and writes, in as few statements as the database functions of
// migration 0009 allow: the locked case row, start-case's lookups, and everything a step
// writes (the case row, its history, the projections, the outbox) in one call.
import type { Actor, HistoryEvent } from '../../engine/audit/index.js';
import type { Effect, EngineEvent, InstanceState } from '../../engine/index.js';
import type { CommandTx, Statement } from '../connection.js';
import { outboxEntries } from './outbox.js';
import type { OrganisationRow } from './organisations.js';
import { projectionOps } from './projections.js';
import type { CaseRow, DefinitionRow } from './rows.js';

/** Locks the case row for this transaction; concurrent commands on one case queue here. Invisible (RLS) or absent: undefined. */
export async function lockCaseRow(tx: CommandTx, id: string): Promise<CaseRow | undefined> {
  const [row] = await tx.query<CaseRow>({ sql: 'select * from camau_lock_case(?)', values: [id] });
  return row;
}

export interface StartContext {
  /** The staff member the case is about (as the caller may see them), if one was asked for. */
  person: { id: string; kind: string; organisation_id: string } | null;
  /** The school (the staff member's, for a staff case), if it exists. */
  school: OrganisationRow | null;
  /** The school's parent organisation. */
  la: OrganisationRow | null;
  /** The latest deployed version of the key (or the version asked for), without its source. */
  definition: Omit<DefinitionRow, 'source'> | null;
}

/** start-case's lookups, in one statement. */
export async function startContext(tx: CommandTx, q: { schoolId?: string; personId?: string; key: string; version?: number }): Promise<StartContext> {
  const [row] = await tx.query<{ ctx: StartContext }>({
    sql: 'select camau_start_context(?::text, ?::text, ?::text, ?::integer) as ctx',
    values: [q.schoolId ?? null, q.personId ?? null, q.key, q.version ?? null],
  });
  return row.ctx;
}

/** A new case row (start-case), written before its history. */
export interface NewCaseRow {
  definition_id: string;
  tenant_id: string;
  school_id?: string;
  calendar_la?: string;
  subject_kind: 'school' | 'staff';
  subject_person_id?: string;
  employer: 'la' | 'governing-body';
  parent_case_id?: string;
  parent_eid?: string;
  business_key?: string;
  created_by?: string;
}

export interface StepWrite {
  caseId: string;
  at: string;
  actor: Actor;
  /** Set when the step started the case: its row is inserted. Otherwise the row is updated. */
  created?: NewCaseRow;
  /** Otherwise: what the case's visibility depends on, as locked or remembered (copied onto the rows written for it). */
  visibility?: { tenant_id: string; subject_kind: string; school_key: string };
  /** The state after the step, the case's new version, and the head of its history. */
  state: InstanceState;
  version: number;
  head: { seq: number; hash: string };
  /** The step's history entries, chained (engine/audit chain) after the case's previous head. */
  history: HistoryEvent[];
  /** `before`: the state the step started from (null for a new case). */
  before: InstanceState | null;
  events: EngineEvent[];
  effects: Effect[];
  /** An Idempotency-Key record written with the step, only if the step is written (db/repositories/idempotency.ts). */
  record?: IdempotencyRecord;
}

/** The first response to a (user, key): a retry of the request gets it back. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** SHA-256 of the method, URL and body: the same key with another request is refused. */
  requestHash: string;
  status: number;
  /** The response body exactly as sent. */
  text: string;
  headers: Record<string, string>;
}

/** What a step computed from remembered state assumed: checked under the row lock by camau_apply. */
export type Assumption =
  /** The case is still at this version and head (and visible to the caller). */
  | { expect: { version: number; hash: string } }
  /** start-case's lookups still give this answer (for the caller). */
  | { context: { school?: string; person?: string; key: string; version?: number; value: StartContext } };

/**
 * Everything a step writes, as one statement: the case row (inserted or updated), the history
 * entries, the projection changes and the outbox rows, in that order (see camau_apply). The
 * rows are exactly those the separate inserts and updates wrote: the same JSON for payloads,
 * actors and snapshots, the same instants. Its one row's `applied` is false when an assumption
 * no longer held (then nothing was written).
 */
export function writeStep(w: StepWrite, assumption?: Assumption): Statement {
  for (const e of w.history) {
    // The function writes one actor and one instant for every entry of a step, as chain() makes them.
    if (e.actor !== w.actor || e.at !== w.at || e.caseId !== w.caseId) throw new Error('A step\'s history entries must share its case, actor and instant');
  }
  const doc = {
    case: w.caseId,
    at: w.at,
    actor: w.actor,
    ...(w.created ? { new: w.created } : { visibility: w.visibility }),
    ...assumption,
    state: w.state,
    status: w.state.status,
    version: w.version,
    seq: w.head.seq,
    hash: w.head.hash,
    events: w.history.map((e) => ({ seq: e.seq, type: e.type, payload: e.payload, prev: e.prevHash, hash: e.hash })),
    ops: projectionOps(w.before, w.events, w.effects, w.version),
    outbox: outboxEntries(w.effects, w.version),
  };
  if (!w.record) return { sql: 'select camau_apply(?::jsonb) as applied', values: [JSON.stringify(doc)] };
  // The record is inserted only if the step was (camau_apply returns false when an assumption no
  // longer held); a key already used fails the insert, and with it the whole transaction.
  const r = w.record;
  return {
    sql: `insert into idempotency_keys (user_id, key, request_hash, status, response_status, response_text, response_headers)
          select ?, ?, ?, 'done', ?, ?, ?::jsonb where camau_apply(?::jsonb) returning true as applied`,
    values: [r.userId, r.key, r.requestHash, r.status, r.text, JSON.stringify(r.headers), JSON.stringify(doc)],
  };
}

/** Writes a step whose state was remembered, as the transaction's last statement; false (nothing written) if the assumption no longer holds. */
export async function writeStepIf(tx: CommandTx, w: StepWrite, assumption: Assumption): Promise<boolean> {
  const [row] = await tx.query<{ applied: boolean }>(writeStep(w, assumption), { commit: true });
  return row?.applied === true;
}
