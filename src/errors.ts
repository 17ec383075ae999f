/**
 * Typed errors shared by every layer. Each carries a machine-readable code, a hint telling the
 * user what to change, and whether retrying could help (activities map `retryable: false` to a
 * non-retryable ApplicationFailure). Errors with a final code (failure-details.ts) are never retryable,
 * so the error and the workflow's retry policy cannot disagree.
 */
import { isFinalErrorCode, type ErrorCode } from './failure-details.js';

export type { ErrorCode };

export class OsirisError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { hint: string; retryable?: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OsirisError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = !isFinalErrorCode(code) && (options.retryable ?? false);
  }
}

export function isOsirisError(err: unknown): err is OsirisError {
  return err instanceof OsirisError;
}
