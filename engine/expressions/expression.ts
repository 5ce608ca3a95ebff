// The contract every compiled expression honours, whatever its language.
// Compilation happens once, when a model is deployed; evaluation happens in the pure core,
// so it may only read the variables and the instant it is given.

export type ExpressionLanguage = 'feel' | 'juel';

export interface EvalEnv {
  /** ISO-8601 instant; FEEL now()/today() read this, never the real clock. */
  now: string;
  /** The case's calendars, for FEEL's addWorkingDays, addSchoolDays, isSchoolDay... (engine/time/feel-functions.ts). */
  calendar?: (id: string) => import('../time/calendar.js').Calendar | undefined;
}

export interface Expression {
  readonly language: ExpressionLanguage;
  /** Text as written in the model. */
  readonly source: string;
  /** Throws ExpressionError on failure; the result is plain JSON-able JS (see toJson). */
  evaluate(vars: Record<string, unknown>, env: EvalEnv): unknown;
}

export type ExpressionErrorCode = 'expression-syntax' | 'expression-eval';

export class ExpressionError extends Error {
  constructor(
    public code: ExpressionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

export type Compiled = { ok: true; expr: Expression } | { ok: false; message: string };
