// verify: recompute the chain and re-fold the events; name the first seq where either breaks.
import type { EngineEvent, InstanceState } from '../types.js';
import { replay } from '../bpmn/apply.js';
import { canonicalJson } from './canonical.js';
import { GENESIS, hashEvent, type HistoryEvent } from './chain.js';

export type VerifyResult =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; seq: number; reason: 'gap' | 'prev-hash' | 'hash' | 'snapshot'; message: string };

export function toEngineEvent(e: Pick<HistoryEvent, 'type' | 'payload'>): EngineEvent {
  return { type: e.type, ...e.payload } as EngineEvent;
}

export function fromEngineEvent(e: EngineEvent): { type: string; payload: Record<string, unknown> } {
  const { type, ...payload } = e;
  return { type, payload };
}

/**
 * Checks the chain of `events` (in seq order); if the case's recorded head is given, that the
 * history reaches it (a deleted tail is a gap); if a snapshot is given, that replay reproduces it.
 */
export function verifyHistory(events: HistoryEvent[], snapshot?: InstanceState, head?: { seq: number; hash: string }): VerifyResult {
  let prevHash = GENESIS;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.seq !== i + 1) return { ok: false, seq: i + 1, reason: 'gap', message: `event ${i + 1} is missing (found seq ${e.seq} in its place)` };
    if (e.prevHash !== prevHash) return { ok: false, seq: e.seq, reason: 'prev-hash', message: `event ${e.seq} does not follow event ${e.seq - 1}` };
    if (hashEvent(e) !== e.hash) return { ok: false, seq: e.seq, reason: 'hash', message: `event ${e.seq} was altered after it was written` };
    prevHash = e.hash;
  }
  if (head && (head.seq !== events.length || (head.seq > 0 && head.hash !== prevHash))) {
    const seq = Math.min(head.seq, events.length + 1);
    return { ok: false, seq, reason: 'gap', message: head.seq > events.length ? `events ${events.length + 1} to ${head.seq} are missing` : `the history does not end where the case says it does (event ${head.seq})` };
  }
  if (snapshot) {
    const replayed = replay(events.map(toEngineEvent));
    if (canonicalJson(replayed) !== canonicalJson(snapshot)) {
      return { ok: false, seq: events.length, reason: 'snapshot', message: `the stored state does not match the history replayed to event ${events.length}` };
    }
  }
  return { ok: true, events: events.length, lastHash: prevHash };
}

/** The state after the first `uptoSeq` events: what an auditor sees stepping through a case. */
export function stateAt(events: HistoryEvent[], uptoSeq: number): InstanceState {
  return replay(events.filter((e) => e.seq <= uptoSeq).map(toEngineEvent));
}
