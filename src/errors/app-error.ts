import { PROBLEMS, type ProblemCode } from './catalogue.js';

/** One failing input field: a JSON pointer-like path and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The error every layer throws for an expected failure. Services throw it;
 * the error handler turns it into problem+json. Callers switch on `code`.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly options: {
      detail?: string;
      errors?: FieldError[];
      /** Extra members for the problem body (must hold no personal data). */
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(options.detail ?? code);
    this.status = PROBLEMS[code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
