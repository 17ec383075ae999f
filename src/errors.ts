/**
 * Typed errors shared by every layer. Each carries a machine-readable code, a hint telling the
 * user what to change, and whether retrying could help (activities map `retryable: false` to a
 * non-retryable ApplicationFailure).
 */
export type ErrorCode =
  | 'OML_INVALID'
  | 'CONFIG_INVALID'
  | 'CONNECTION_NOT_FOUND'
  | 'CONNECTION_FAILED'
  | 'SQL_REFUSED'
  | 'SQL_ERROR'
  | 'PATH_REFUSED'
  | 'INPUT_MISSING'
  | 'TEMPORAL_UNAVAILABLE'
  | 'TRANSIENT';

export class OsirisError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { hint: string; retryable?: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OsirisError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
  }
}

export function isOsirisError(err: unknown): err is OsirisError {
  return err instanceof OsirisError;
}
