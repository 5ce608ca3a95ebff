// broadcast-signal: every case with a matching subscription receives the signal, each in its
// own transaction, so one case's failure never blocks another's.
import type { Access } from '../../db/access.js';
import type { Variables } from '../../engine/index.js';
import type { Actor } from '../../engine/audit/index.js';
import { onCase } from '../execute.js';
import type { Runtime } from '../runtime.js';

export interface SignalResult {
  delivered: string[];
  failed: Array<{ caseId: string; message: string }>;
}

export async function broadcastSignal(rt: Runtime, access: Access, name: string, variables: Variables, actor: Actor, exceptCaseId?: string): Promise<SignalResult> {
  const caseIds: string[] = await rt.db.transaction(access, (trx) => trx('subscriptions').where({ kind: 'signal', name }).distinct('case_id').pluck('case_id'));
  const result: SignalResult = { delivered: [], failed: [] };
  for (const caseId of caseIds.filter((c) => c !== exceptCaseId).sort()) {
    const r = await onCase(rt, access, caseId, { actor }, () => ({ type: 'signal', name, variables }));
    if (r.ok) result.delivered.push(caseId);
    else result.failed.push({ caseId, message: r.error.message });
  }
  return result;
}
