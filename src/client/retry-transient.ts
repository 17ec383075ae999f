import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError } from '@temporalio/client';

/**
 * How long the CLI keeps retrying when Temporal does not answer (a server restart, a machine under
 * heavy load) before it reports "Cannot reach Temporal": documented in the README.
 */
export const TRANSIENT_RETRY_MS = 120_000;

/** gRPC UNAVAILABLE (14), DEADLINE_EXCEEDED (4), or a refused/reset socket anywhere in the cause chain. */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && (e.code === 14 || e.code === 4)) return true;
    if (/ECONNREFUSED|ECONNRESET|UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect before the deadline/.test((e as Error).message ?? '')) return true;
  }
  return false;
}

/**
 * Calls `fn` again on transient errors, with backoff (0.5 s doubling to 5 s), for at most
 * `totalMs`; `onRetry` is told once, at the first retry, so the user knows why it waits.
 */
export async function retryTransient<T>(fn: () => Promise<T>, options: { totalMs?: number; onRetry?: (err: unknown) => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.totalMs ?? TRANSIENT_RETRY_MS);
  let delay = 500;
  let told = false;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || Date.now() + delay > deadline) throw err;
      if (!told) options.onRetry?.(err);
      told = true;
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
