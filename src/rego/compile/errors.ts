// Construction of the compiler's collected errors (RegoError) with OPA's codes and wording.
import type { Location, RegoError, RegoErrorCode } from '../syntax/ast.ts';

/** An error sink shared by the passes: they push and go on, never throw on bad input. */
export type ErrorSink = RegoError[];

export function regoError(code: RegoErrorCode, message: string, loc: Location): RegoError {
  return { code, message, loc };
}

/** Thrown only for internal invariant violations (a compiler bug), never for bad user input. */
export class CompilerBugError extends Error {
  readonly code = 'rego_internal_error';
  constructor(message: string) {
    super(`internal compiler error: ${message}`);
  }
}
