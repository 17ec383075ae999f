/**
 * The retry policy of model calls, shared by the conversation workflow (which schedules them) and the
 * LLM activity (which sets the next delay from Retry-After). Pure: the workflow imports it.
 */
export const LLM_RETRY = { initialIntervalMs: 2000, backoffCoefficient: 2, maximumIntervalMs: 60_000, maximumAttempts: 8 } as const;

/** The policy's own delay after attempt `attempt` (1-based) fails. */
export function backoffMs(attempt: number): number {
  return Math.min(LLM_RETRY.initialIntervalMs * LLM_RETRY.backoffCoefficient ** Math.max(0, attempt - 1), LLM_RETRY.maximumIntervalMs);
}

/**
 * Retry-After is a floor, not a replacement: a server asking for less than the backoff (or for 0)
 * still gets the backoff, so retries never come faster than the policy allows.
 */
export function nextRetryDelayMs(retryAfterMs: number | undefined, attempt: number): number {
  return Math.max(retryAfterMs ?? 0, backoffMs(attempt));
}
