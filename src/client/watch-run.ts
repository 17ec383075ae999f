import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepHeartbeat } from '../activities/types.js';
import { rowsPerSecond } from '../runtime/events.js';
import { decodeRawPayloads } from '../temporal/data-converter.js';
import { progressQuery } from '../workflows/messages.js';
import type { PipelineRunResult, pipelineRun } from '../workflows/pipeline-run.js';
import type { RunProgress } from '../workflows/run-progress.js';
import { retryTransient } from './retry-transient.js';

export interface RunSnapshot {
  progress: RunProgress;
  /** Rows reported so far by running steps' heartbeats, by step id. */
  liveRows: Map<string, number>;
  /** Rows per second of running steps, as of their last heartbeat. */
  rates: Map<string, number>;
  /** Attempt number of running steps that are being retried (> 1). */
  attempts: Map<string, number>;
}

/** Rows so far come from activity heartbeats, which only the server sees: read them from describe(). */
async function readLive(handle: WorkflowHandle): Promise<Pick<RunSnapshot, 'liveRows' | 'rates' | 'attempts'>> {
  const liveRows = new Map<string, number>();
  const rates = new Map<string, number>();
  const attempts = new Map<string, number>();
  const description = await handle.describe();
  for (const pending of description.raw.pendingActivities ?? []) {
    const raw = pending.heartbeatDetails?.payloads?.[0];
    if (!raw) continue;
    const [payload] = await decodeRawPayloads([raw]);
    const beat = defaultPayloadConverter.fromPayload<StepHeartbeat>(payload!);
    liveRows.set(beat.stepId, beat.rows);
    const rate = rowsPerSecond(beat.rows, beat.elapsedMs);
    if (rate !== undefined) rates.set(beat.stepId, rate);
    if ((pending.attempt ?? 1) > 1) attempts.set(beat.stepId, pending.attempt ?? 1);
  }
  return { liveRows, rates, attempts };
}

/**
 * Running steps report rows by heartbeat only after their first second (activities/exec.ts), so the
 * run's description, which carries them, is read only once a step has been running that long.
 */
const LIVE_ROWS_AFTER_MS = 1_000;

/** Polls the run's `progress` query and heartbeats until it ends, calling `onSnapshot` on each poll. */
export async function watchRun(
  handle: WorkflowHandle<typeof pipelineRun>,
  onSnapshot: (snapshot: RunSnapshot) => void,
  intervalMs = 250,
): Promise<Awaited<ReturnType<typeof pipelineRun>>> {
  let finished = false;
  // The result long-poll survives a server outage or restart (bounded: TRANSIENT_RETRY_MS), so a
  // run that completes meanwhile is not reported failed.
  const result = retryTransient(() => handle.result()).finally(() => (finished = true));
  // Avoid an unhandled rejection while polling; the caller awaits `result` below.
  result.catch(() => {});
  const runningSince = new Map<string, number>();
  let last: RunProgress | undefined;
  const noLive = () => ({ liveRows: new Map<string, number>(), rates: new Map<string, number>(), attempts: new Map<string, number>() });
  while (!finished) {
    try {
      const progress = await handle.query(progressQuery);
      const now = Date.now();
      for (const step of progress.steps) {
        if (step.status !== 'running') runningSince.delete(step.id);
        else if (!runningSince.has(step.id)) runningSince.set(step.id, now);
      }
      const live = [...runningSince.values()].some((since) => now - since >= LIVE_ROWS_AFTER_MS) ? await readLive(handle) : noLive();
      last = progress;
      onSnapshot({ progress, ...live });
    } catch {
      // The first workflow task may not have run yet, or the run just closed: poll again.
    }
    await Promise.race([sleep(intervalMs), result.catch(() => {})]);
  }
  let done: Awaited<typeof result>;
  try {
    done = await result;
  } catch (err) {
    try {
      // The workflow's own account of which step failed (a closed workflow is still queryable).
      onSnapshot({ progress: await handle.query(progressQuery), ...noLive() });
    } catch {
      // If not, the failure itself says it all.
    }
    throw err;
  }
  onSnapshot({ progress: completedProgress(done, last), ...noLive() });
  return done;
}

/**
 * A completed run's progress, from its result: asking the closed workflow instead costs the worker a
 * replay of its whole history (its cache drops a workflow once it closes).
 */
export function completedProgress(result: PipelineRunResult, previous?: RunProgress): RunProgress {
  return {
    ...previous,
    runId: result.runId,
    pipeline: result.pipeline,
    fingerprint: result.fingerprint,
    target: result.target,
    status: 'completed',
    steps: result.steps.map((s) => ({ id: s.stepId, component: s.component, status: 'completed', rows: s.rows, durationMs: s.durationMs })),
  };
}
