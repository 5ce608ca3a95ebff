// resolve-incident: retry what failed (the element, the job or the call) after the cause was
// fixed, optionally setting variables first. Both happen in one transaction: if the retry is
// refused, the variables are not set either.
import type { Access } from '../../db/access.js';
import type { Variables } from '../../engine/index.js';
import type { Outcome } from '../errors.js';
import { onCaseIn, isUuid, type CaseChange, type CommandOptions } from '../execute.js';
import { err } from '../errors.js';
import type { Runtime } from '../runtime.js';

/** Thrown inside the transaction to roll it back, carrying the refusal out. */
class Refused extends Error {
  constructor(readonly outcome: Outcome<never>) {
    super('refused');
  }
}

export async function resolveIncident(rt: Runtime, access: Access, caseId: string, incidentId: string, opts: CommandOptions, variables?: Variables): Promise<Outcome<CaseChange>> {
  if (!isUuid(caseId)) return err('NOT_FOUND', `No case ${caseId}`);
  try {
    return await rt.db.transaction(access, async (trx) => {
      let expectedVersion = opts.expectedVersion;
      if (variables && Object.keys(variables).length) {
        const set = await onCaseIn(trx, rt, caseId, opts, () => ({ type: 'setVariables', variables }));
        if (!set.ok) return set;
        expectedVersion = set.value.version;
      }
      const resolved = await onCaseIn(trx, rt, caseId, { actor: opts.actor, expectedVersion }, () => ({ type: 'resolveIncident', incidentId }));
      if (!resolved.ok) throw new Refused(resolved);
      return resolved;
    });
  } catch (e) {
    if (e instanceof Refused) return e.outcome;
    throw e;
  }
}
