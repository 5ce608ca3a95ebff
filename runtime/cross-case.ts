// Effects between cases: a call activity starts a case, a called case reports back to its
// parent, a message or signal thrown in one case reaches others. Each outbox row is claimed
// and performed in one transaction, so it happens exactly once even with several workers.
import type { Knex } from 'knex';
import { systemAccess } from '../db/access.js';
import { claimPending, markDone, type OutboxRow } from '../db/repositories/outbox.js';
import type { Command, Effect } from '../engine/index.js';
import { onCaseIn } from './execute.js';
import { startIn } from './commands/start-case.js';
import { lockSubscription } from './commands/correlate-message.js';
import type { Runtime } from './runtime.js';

export const CROSS_CASE: Array<Effect['type']> = ['startCall', 'notifyParent', 'cancelCall', 'publishMessage', 'broadcastSignal'];

/** Performs pending cross-case effects until none is left (or `max` were done); returns how many. */
export async function performCrossCaseEffects(rt: Runtime, max = 1000): Promise<number> {
  let done = 0;
  while (done < max) {
    const did = await rt.db.transaction(systemAccess('cross-case effects'), async (trx) => {
      const [row] = await claimPending(trx, CROSS_CASE, 1);
      if (!row) return false;
      await perform(trx, rt, row);
      await markDone(trx, [row.id], rt.clock.now());
      return true;
    });
    if (!did) break;
    done++;
  }
  return done;
}

const actor = (row: OutboxRow) => ({ system: `${row.kind} from case ${row.case_id}` });

async function perform(trx: Knex, rt: Runtime, row: OutboxRow): Promise<void> {
  const fx = row.payload;
  const send = (caseId: string, cmd: Command) => onCaseIn(trx, rt, caseId, { actor: actor(row) }, () => cmd);
  switch (fx.type) {
    case 'startCall': {
      const parent = await trx('cases').where({ id: row.case_id }).first('school_id', 'subject_person_id', 'subject_kind');
      const started = await startIn(trx, rt, {
        definitionKey: fx.processKey,
        version: fx.binding === 'version' ? fx.version : undefined,
        ...(parent.subject_kind === 'staff' ? { subjectPersonId: parent.subject_person_id } : { schoolId: parent.school_id }),
        variables: fx.variables,
        parent: { caseId: row.case_id!, eid: fx.eid },
        actor: actor(row),
      });
      // A called process that is not deployed is an incident on the call activity, resolvable later.
      if (!started.ok) await send(row.case_id!, { type: 'callFailed', eid: fx.eid, message: started.error.message });
      return;
    }
    case 'notifyParent': {
      const { caseId, eid } = fx.parent;
      if (fx.outcome === 'completed') await send(caseId, { type: 'callEnded', eid, outcome: 'completed', variables: fx.variables });
      else if (fx.outcome === 'error') await send(caseId, { type: 'callEnded', eid, outcome: 'error', code: fx.code ?? '', message: fx.message });
      else if (fx.outcome === 'escalation') await send(caseId, { type: 'callEnded', eid, outcome: 'escalation', code: fx.code ?? '' });
      else await send(caseId, { type: 'callEnded', eid, outcome: 'terminated' });
      return;
    }
    case 'cancelCall': {
      const children: string[] = await trx('cases').where({ parent_case_id: row.case_id, parent_eid: fx.eid, status: 'active' }).pluck('id');
      for (const child of children) await send(child, { type: 'cancel', reason: 'the calling activity ended' });
      return;
    }
    case 'publishMessage': {
      const sub = await lockSubscription(trx, fx.name, fx.correlationKey, row.case_id);
      if (sub) await send(sub.case_id, { type: 'correlateMessage', name: fx.name, correlationKey: fx.correlationKey, variables: fx.variables, subscriptionId: sub.sub_id });
      return;
    }
    case 'broadcastSignal': {
      const ids: string[] = await trx('subscriptions').where({ kind: 'signal', name: fx.name }).whereNot('case_id', row.case_id).distinct('case_id').pluck('case_id');
      // Each case in its own savepoint: one refusal does not undo the others.
      for (const id of ids.sort()) await trx.transaction((sp) => onCaseIn(sp, rt, id, { actor: actor(row) }, () => ({ type: 'signal', name: fx.name, variables: fx.variables })));
      return;
    }
    default:
      return;
  }
}
