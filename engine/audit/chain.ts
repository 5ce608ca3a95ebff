// The per-case hash chain over the history. Each event's hash covers its case, position,
// type, payload, actor, time and the previous event's hash, so changing, removing or
// reordering any event breaks every hash after it. SHA-256 from @noble/hashes runs the same
// in Node and in a browser, so an auditor can verify an exported bundle anywhere.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical.js';

export const GENESIS = '0'.repeat(64);

export interface Actor {
  userId?: string;
  role?: string;
  organisationId?: string;
  /** Set for work done by the system itself (timers, workers), with the reason. */
  system?: string;
}

/** One stored history entry. `at` is an ISO-8601 instant with milliseconds. */
export interface HistoryEvent {
  caseId: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  actor: Actor;
  at: string;
  prevHash: string;
  hash: string;
}

export function hashEvent(e: Omit<HistoryEvent, 'hash'>): string {
  const body = canonicalJson({ caseId: e.caseId, seq: e.seq, type: e.type, payload: e.payload, actor: e.actor, at: e.at, prevHash: e.prevHash });
  return bytesToHex(sha256(utf8ToBytes(body)));
}

/** Builds the next history entries after `prev` (the last stored entry, or none). */
export function chain(caseId: string, prev: { seq: number; hash: string } | undefined, entries: Array<{ type: string; payload: Record<string, unknown> }>, actor: Actor, at: string): HistoryEvent[] {
  let seq = prev?.seq ?? 0;
  let prevHash = prev?.hash ?? GENESIS;
  return entries.map(({ type, payload }) => {
    seq += 1;
    const e = { caseId, seq, type, payload, actor, at, prevHash };
    const hash = hashEvent(e);
    prevHash = hash;
    return { ...e, hash };
  });
}
