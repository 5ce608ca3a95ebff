// cancel-case: ends a case and everything open in it, with the reason in the history.
import type { Access } from '../../db/access.js';
import type { Outcome } from '../errors.js';
import { onCase, type CaseChange, type CommandOptions } from '../execute.js';
import type { Runtime } from '../runtime.js';

export function cancelCase(rt: Runtime, access: Access, caseId: string, reason: string, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, () => ({ type: 'cancel', reason }));
}
