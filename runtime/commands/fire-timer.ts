// fire-timer: a timer job came due. A timer that was cancelled (or already fired) changes nothing.
import { systemAccess } from '../../db/access.js';
import type { Outcome } from '../errors.js';
import { onCase, type CaseChange } from '../execute.js';
import type { Runtime } from '../runtime.js';

export function fireTimer(rt: Runtime, caseId: string, timerId: string): Promise<Outcome<CaseChange>> {
  return onCase(rt, systemAccess('timer'), caseId, { actor: { system: 'timer' } }, () => ({ type: 'fireTimer', timerId }));
}
