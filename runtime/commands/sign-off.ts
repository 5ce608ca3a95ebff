// sign-off: one role's decision on a jointly signed task (rules in engine/signoff).
import type { Access } from '../../db/access.js';
import type { Variables } from '../../engine/index.js';
import type { Outcome } from '../errors.js';
import { onCase, type CaseChange, type CommandOptions } from '../execute.js';
import type { Runtime } from '../runtime.js';

export interface SignOffInput {
  eid: string;
  role: string;
  userId: string;
  decision: 'approve' | 'return';
  comment?: string;
  variables?: Variables;
}

export function signOff(rt: Runtime, access: Access, caseId: string, input: SignOffInput, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, () => ({ type: 'signOff', ...input }));
}
