// complete-task: a person finishes a user task (or a worker a job) with its variables.
import type { Access } from '../../db/access.js';
import type { Variables } from '../../engine/index.js';
import type { Outcome } from '../errors.js';
import { onCase, type CaseChange, type CommandOptions } from '../execute.js';
import type { Runtime } from '../runtime.js';

export function completeTask(rt: Runtime, access: Access, caseId: string, eid: string, variables: Variables, opts: CommandOptions): Promise<Outcome<CaseChange>> {
  return onCase(rt, access, caseId, opts, () => ({ type: 'complete', eid, variables }));
}
