// Joint sign-off (shared/DESIGN.md §3): a task naming several roles completes only when each
// role has approved; one "return" sends it back with the comment; one person may not sign for
// two roles, nor approve what they authored.
import type { Failure, Result, UserTaskInfo, Variables } from '../types.js';

export interface SignOffInput {
  role: string;
  userId: string;
  decision: 'approve' | 'return';
  comment?: string;
  at: string;
}

export interface SignOffResult {
  task: UserTaskInfo;
  /** Set when the sign-off is decided: every role approved, or one returned it. */
  outcome?: 'approved' | 'returned';
  /** Variables the task completes with: signoffOutcome, signoffComment, signoffBy. */
  variables: Variables;
}

const reject = (message: string, details?: Record<string, unknown>): Result<SignOffResult> => ({
  ok: false,
  failure: { code: 'SIGNOFF_REJECTED', message, ...(details ? { details } : {}) } satisfies Failure,
});

export function signOff(task: UserTaskInfo, input: SignOffInput): Result<SignOffResult> {
  const roles = task.signoffRoles ?? [];
  if (roles.length === 0) return reject('This task does not need joint sign-off');
  if (!roles.includes(input.role)) return reject(`Role ${input.role} is not one of the roles that sign this task (${roles.join(', ')})`, { roles });
  const signoffs = task.signoffs ?? [];
  if (signoffs.some((s) => s.role === input.role && s.decision === 'approve')) return reject(`Role ${input.role} has already approved this task`);
  const other = signoffs.find((s) => s.userId === input.userId && s.role !== input.role && s.decision === 'approve');
  if (other) return reject(`${input.userId} has already signed as ${other.role}; one person may not sign for two roles`);
  if (input.decision === 'approve' && task.authorId && task.authorId === input.userId) return reject(`${input.userId} authored this item and may not approve it`);
  if (input.decision === 'return' && !input.comment?.trim()) return reject('A return needs a comment saying what must change');

  const entry = { role: input.role, userId: input.userId, decision: input.decision, at: input.at, ...(input.comment ? { comment: input.comment } : {}) };
  const next: UserTaskInfo = { ...task, signoffs: [...signoffs, entry] };
  if (input.decision === 'return') {
    return { ok: true, value: { task: next, outcome: 'returned', variables: { signoffOutcome: 'returned', signoffComment: input.comment!, signoffBy: input.userId } } };
  }
  const approved = new Set(next.signoffs!.filter((s) => s.decision === 'approve').map((s) => s.role));
  if (roles.every((r) => approved.has(r))) {
    return { ok: true, value: { task: next, outcome: 'approved', variables: { signoffOutcome: 'approved', signoffComment: null, signoffBy: next.signoffs!.map((s) => s.userId) } } };
  }
  return { ok: true, value: { task: next, variables: {} } };
}

/** Roles still to approve. */
export function outstandingRoles(task: UserTaskInfo): string[] {
  const approved = new Set((task.signoffs ?? []).filter((s) => s.decision === 'approve').map((s) => s.role));
  return (task.signoffRoles ?? []).filter((r) => !approved.has(r));
}
