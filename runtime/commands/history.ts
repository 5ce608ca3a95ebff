// History for auditors: replay a case to any event, and verify that nobody altered it.
import type { Access } from '../../db/access.js';
import { getCase } from '../../db/repositories/cases.js';
import { readEvents } from '../../db/repositories/events.js';
import { stateAt, verifyHistory, type HistoryEvent, type VerifyResult } from '../../engine/audit/index.js';
import type { InstanceState } from '../../engine/index.js';
import { err, ok, type Outcome } from '../errors.js';
import { isUuid } from '../execute.js';
import type { Runtime } from '../runtime.js';

export async function replayCase(rt: Runtime, access: Access, caseId: string, uptoSeq?: number): Promise<Outcome<{ state: InstanceState; seq: number; events: number }>> {
  if (!isUuid(caseId)) return err('NOT_FOUND', `No case ${caseId}`);
  return rt.db.transaction(access, async (trx) => {
    if (!(await getCase(trx, caseId))) return err('NOT_FOUND', `No case ${caseId}`);
    const events = await readEvents(trx, caseId);
    const seq = uptoSeq ?? events.length;
    if (!Number.isInteger(seq) || seq < 0 || seq > events.length) return err('INVALID_INPUT', `The case has ${events.length} events; ${uptoSeq} is not one of them`);
    return ok({ state: stateAt(events, seq), seq, events: events.length });
  });
}

export async function verifyCase(rt: Runtime, access: Access, caseId: string): Promise<Outcome<VerifyResult & { caseId: string }>> {
  if (!isUuid(caseId)) return err('NOT_FOUND', `No case ${caseId}`);
  return rt.db.transaction(access, async (trx) => {
    const row = await getCase(trx, caseId);
    if (!row) return err('NOT_FOUND', `No case ${caseId}`);
    const events = await readEvents(trx, caseId);
    return ok({ caseId, ...verifyHistory(events, row.snapshot, { seq: row.last_seq, hash: row.last_hash }) });
  });
}

export async function caseHistory(rt: Runtime, access: Access, caseId: string, fromSeq = 1, limit = 100): Promise<Outcome<HistoryEvent[]>> {
  if (!isUuid(caseId)) return err('NOT_FOUND', `No case ${caseId}`);
  return rt.db.transaction(access, async (trx) => {
    if (!(await getCase(trx, caseId))) return err('NOT_FOUND', `No case ${caseId}`);
    return ok(await readEvents(trx, caseId, { fromSeq, limit }));
  });
}
