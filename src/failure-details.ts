/**
 * The failure protocol shared by activities (which throw), the pipelineRun workflow (which decides
 * whether to retry) and clients (which show the hint). Pure: workflow code imports it.
 */

/** Codes whose failures retrying cannot fix: the run fails at once and the hint says what to change. */
export const FINAL_ERROR_CODES = ['OML_INVALID', 'CONFIG_INVALID', 'CONNECTION_NOT_FOUND', 'SQL_REFUSED', 'SQL_ERROR', 'PATH_REFUSED', 'INPUT_MISSING'] as const;

/** Every typed error code; the ones not final are retried when the error says it is retryable. */
export const ERROR_CODES = [...FINAL_ERROR_CODES, 'CONNECTION_FAILED', 'TEMPORAL_UNAVAILABLE', 'TRANSIENT'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const FINAL: ReadonlySet<string> = new Set(FINAL_ERROR_CODES);

export function isFinalErrorCode(code: string): boolean {
  return FINAL.has(code);
}

/** What a failure carries besides its message and type (the first entry of ApplicationFailure details). */
export interface FailureDetails {
  hint?: string;
  stepId?: string;
}

/** Reads the details of a failure that crossed Temporal; anything malformed is ignored, not trusted. */
export function readFailureDetails(details: readonly unknown[] | undefined | null): FailureDetails {
  const first = details?.[0];
  if (first === null || typeof first !== 'object') return {};
  const { hint, stepId } = first as Record<string, unknown>;
  return { ...(typeof hint === 'string' ? { hint } : {}), ...(typeof stepId === 'string' ? { stepId } : {}) };
}
