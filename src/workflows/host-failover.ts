import { ActivityFailure, TimeoutFailure } from '@temporalio/workflow';

/** Patch id: runs started with it move to another exec worker when their host is lost. */
export const HOST_FAILOVER_PATCH = 'osiris-host-failover';

/** How a run reacts to losing the host that holds its workspace (PipelineRunInput.hostFailover). */
export interface HostFailoverOptions {
  /**
   * How long a step may wait for the host's worker to take it (Temporal duration, default 30 s).
   * A dead host's queue has no poller: its step's retry is never picked up and the run moves on.
   */
  hostTimeout?: string;
  /** Attempts of the whole run, each on a fresh workspace (default 3; 1 turns failover off). */
  maxAttempts?: number;
}

export const HOST_FAILOVER_DEFAULTS = { hostTimeout: '30 seconds', maxAttempts: 3, heartbeatTimeout: '20 seconds' } as const;

/** Thrown inside an attempt when its host stopped taking tasks; carries the original failure. */
export class HostLost extends Error {
  constructor(
    readonly hostTaskQueue: string,
    readonly failure: unknown,
  ) {
    super(`the host serving ${hostTaskQueue} took no task within the host timeout`);
  }
}

/**
 * A task on the host queue that nobody started in time: the host is gone. (A heartbeat timeout
 * alone is retried on the same queue first: a restarted worker on that host still finds its workspace.)
 */
export function isHostLoss(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && err.cause.timeoutType === 'SCHEDULE_TO_START';
}
