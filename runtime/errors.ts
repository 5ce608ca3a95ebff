// Expected failures of runtime commands: values with a stable code, never exceptions.
// The API maps each code to one HTTP status (api/errors.ts).
import type { Diagnostic, Failure } from '../engine/index.js';

export type RuntimeErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INVALID_INPUT'
  | 'INVALID_MODEL'
  | 'REJECTED';

export interface RuntimeError {
  code: RuntimeErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: RuntimeError };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const err = (code: RuntimeErrorCode, message: string, details?: Record<string, unknown>): Outcome<never> => ({ ok: false, error: { code, message, ...(details ? { details } : {}) } });

/** An engine refusal: the command does not fit the case's state. */
export function rejected(f: Failure): Outcome<never> {
  const code: RuntimeErrorCode = f.code === 'UNKNOWN_ELEMENT_INSTANCE' || f.code === 'UNKNOWN_INCIDENT' ? 'NOT_FOUND' : 'REJECTED';
  return err(code, f.message, { reason: f.code, ...(f.details ?? {}) });
}

export function invalidModel(diagnostics: Diagnostic[]): Outcome<never> {
  return err('INVALID_MODEL', `The model was rejected with ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`, { diagnostics });
}
