// The append-only, hash-chained history (see engine/audit). Appending reads the last entry of
// the locked case, chains the new entries after it, and inserts them in one statement.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { canonicalJson, chain, GENESIS, type Actor, type HistoryEvent } from '../../engine/audit/index.js';
import { toHistoryEvent, type EventRow } from './rows.js';

export async function appendEvents(trx: Knex, caseId: string, entries: Array<{ type: string; payload: Record<string, unknown> }>, actor: Actor, at: string, prev?: { seq: number; hash: string }): Promise<HistoryEvent[]> {
  if (entries.length === 0) return [];
  const events = chain(caseId, prev, entries, actor, at);
  await trx('case_events').insert(events.map((e) => ({
    case_id: e.caseId, seq: e.seq, type: e.type, payload: JSON.stringify(e.payload), actor: JSON.stringify(e.actor), at: e.at, prev_hash: e.prevHash, hash: e.hash,
  })));
  return events;
}

/**
 * The same entries as engine/audit's chain() (the same canonical JSON, the same SHA-256, so the
 * same hashes: test/unit/db/history-chain.test.ts), with Node's native SHA-256, several times faster
 * than the portable one the engine keeps for browsers.
 */
export function chainEvents(caseId: string, prev: { seq: number; hash: string } | undefined, entries: Array<{ type: string; payload: Record<string, unknown> }>, actor: Actor, at: string): HistoryEvent[] {
  let seq = prev?.seq ?? 0;
  let prevHash = prev?.hash ?? GENESIS;
  return entries.map(({ type, payload }) => {
    seq += 1;
    const e = { caseId, seq, type, payload, actor, at, prevHash };
    const hash = createHash('sha256').update(canonicalJson({ caseId: e.caseId, seq: e.seq, type: e.type, payload: e.payload, actor: e.actor, at: e.at, prevHash: e.prevHash }), 'utf8').digest('hex');
    prevHash = hash;
    return { ...e, hash };
  });
}

export async function readEvents(trx: Knex, caseId: string, opts: { fromSeq?: number; toSeq?: number; limit?: number } = {}): Promise<HistoryEvent[]> {
  const q = trx<EventRow>('case_events').where({ case_id: caseId }).orderBy('seq');
  if (opts.fromSeq !== undefined) q.andWhere('seq', '>=', opts.fromSeq);
  if (opts.toSeq !== undefined) q.andWhere('seq', '<=', opts.toSeq);
  if (opts.limit !== undefined) q.limit(opts.limit);
  return (await q).map(toHistoryEvent);
}
