// correlate-message: deliver a message to a case whose subscription matches its name and
// correlation key. The subscription is chosen and locked in the delivering transaction
// (SKIP LOCKED), so concurrent messages reach different waiting cases instead of racing for one.
import type { Knex } from 'knex';
import type { Access } from '../../db/access.js';
import type { Variables } from '../../engine/index.js';
import { err, type Outcome } from '../errors.js';
import { onCaseIn, type CaseChange } from '../execute.js';
import type { Runtime } from '../runtime.js';
import type { Actor } from '../../engine/audit/index.js';

export interface Message {
  name: string;
  correlationKey?: string;
  variables?: Variables;
  actor: Actor;
}

/** The first open subscription for the message that no other transaction holds, locked. */
export async function lockSubscription(trx: Knex, name: string, correlationKey: string | undefined, exceptCase?: string | null): Promise<{ case_id: string; sub_id: string } | undefined> {
  const q = trx('subscriptions').where({ kind: 'message', name })
    .andWhere((w) => {
      w.whereNull('correlation_key');
      if (correlationKey !== undefined) w.orWhere('correlation_key', correlationKey);
    });
  if (exceptCase) q.whereNot('case_id', exceptCase);
  return q.orderBy(['case_id', 'sub_id']).first('case_id', 'sub_id').forUpdate().skipLocked();
}

export async function correlateMessage(rt: Runtime, access: Access, msg: Message): Promise<Outcome<CaseChange>> {
  return rt.db.transaction(access, async (trx) => {
    const target = await lockSubscription(trx, msg.name, msg.correlationKey);
    if (!target) return err('NOT_FOUND', `No case is waiting for message "${msg.name}"${msg.correlationKey !== undefined ? ` with key "${msg.correlationKey}"` : ''}`);
    return onCaseIn(trx, rt, target.case_id, { actor: msg.actor }, () => ({ type: 'correlateMessage', name: msg.name, correlationKey: msg.correlationKey, variables: msg.variables, subscriptionId: target.sub_id }));
  });
}
