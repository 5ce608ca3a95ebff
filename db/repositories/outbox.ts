// The outbox: effects that must happen in the world, written in the same transaction as the
// state change that caused them. The relay hands them to BullMQ (or the embedded driver).
import type { Knex } from 'knex';
import type { Effect } from '../../engine/index.js';

export interface OutboxRow {
  id: string;
  case_id: string | null;
  kind: Effect['type'];
  payload: Effect;
  available_at: Date;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
}

/** Effects with nobody to perform them outside the engine (trace lines) are not stored. */
const LOCAL_ONLY = new Set<Effect['type']>(['log']);

/**
 * The outbox rows of a step's effects. `version` is the case version the step produced: a
 * service-task job is identified in the queue by (case, element instance, version), so each
 * activation is its own job and a reconciler re-adding it finds the same id.
 */
export function outboxEntries(effects: Effect[], version: number): Array<{ kind: Effect['type']; payload: Effect & { activation?: number } }> {
  return effects.filter((e) => !LOCAL_ONLY.has(e.type)).map((e) => ({ kind: e.type, payload: e.type === 'activateJob' ? { ...e, activation: version } : e }));
}

export async function enqueueEffects(trx: Knex, caseId: string | null, effects: Effect[], at: string, version: number): Promise<void> {
  const rows = outboxEntries(effects, version).map((e) => ({ case_id: caseId, kind: e.kind, payload: JSON.stringify(e.payload), available_at: at }));
  if (rows.length) await trx('outbox').insert(rows);
}

/** Claims pending rows of the given kinds; other relays skip the locked ones. */
export async function claimPending(trx: Knex, kinds: Array<Effect['type']>, limit: number): Promise<OutboxRow[]> {
  return trx<OutboxRow>('outbox').whereIn('kind', kinds).andWhere({ status: 'pending' }).orderBy('id').limit(limit).forUpdate().skipLocked();
}

export async function markDone(trx: Knex, ids: string[], at: string): Promise<void> {
  if (ids.length) await trx('outbox').whereIn('id', ids).update({ status: 'done', done_at: at });
}
