import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExecActivities, PreparedWorkspace } from '../activities/types.js';
import type { Manifest } from '../oml/manifest.js';
import type { StepOutputFile, StepResult } from '../runtime/types.js';
import { progressQuery } from './messages.js';
import { completeStep, initialProgress, markStep, type RunProgress } from './run-progress.js';
import { OsirisPipeline, OsirisStatus } from './search-attributes.js';
import { EXEC_TASK_QUEUES, type ExecutionTarget } from './task-queues.js';

export interface PipelineRunInput {
  manifest: Manifest;
  fingerprint: string;
  /** Which execution task queue runs the steps (default `local`). */
  target?: ExecutionTarget;
}

export interface PipelineRunResult {
  runId: string;
  pipeline: string;
  fingerprint: string;
  target: ExecutionTarget;
  steps: StepResult[];
  outputs: StepOutputFile[];
  runDir: string;
}

/** Error types that must fail the run at once: retrying cannot fix a bad config or bad SQL. */
const NON_RETRYABLE = ['OML_INVALID', 'CONFIG_INVALID', 'CONNECTION_NOT_FOUND', 'SQL_REFUSED', 'SQL_ERROR', 'PATH_REFUSED', 'INPUT_MISSING'];

/**
 * Runs a compiled pipeline: prepare a workspace on one execution host, run the DAG level by level
 * (independent steps in parallel, all on that host's queue), finalize, and always clean up.
 */
export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  const { manifest, fingerprint } = input;
  const target = input.target ?? 'local';
  const runId = workflowInfo().workflowId;
  const progress: RunProgress = initialProgress(runId, manifest, fingerprint, target);
  setHandler(progressQuery, () => progress);
  upsertMemo({ pipeline: manifest.pipeline.name, fingerprint, target });
  setStatus(progress, 'preparing');
  upsertSearchAttributes([{ key: OsirisPipeline, value: manifest.pipeline.name }]);

  const { prepareWorkspace } = proxyActivities<ExecActivities>({
    taskQueue: EXEC_TASK_QUEUES[target],
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const workspace = await prepareWorkspace({ runId });
  const host = hostActivities(workspace);

  try {
    setStatus(progress, 'running');
    const results = new Map<string, StepResult>();
    for (const level of manifest.levels) {
      // allSettled, not all: siblings of a failed step finish before cleanup removes their workspace.
      const settled = await Promise.allSettled(
        level.map(async (stepId) => {
          const step = manifest.steps.find((s) => s.id === stepId)!;
          markStep(progress, stepId, { status: 'running' });
          try {
            const result = await host.runStep({ runId, workspace, step });
            results.set(stepId, result);
            completeStep(progress, result);
          } catch (err) {
            markStep(progress, stepId, { status: 'failed', error: describeFailure(err) });
            throw stepFailure(stepId, err);
          }
        }),
      );
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
    }
    setStatus(progress, 'finalizing');
    const steps = manifest.steps.map((s) => results.get(s.id)!);
    const artifacts = await host.finalizeRun({ runId, workspace, manifest, fingerprint, steps });
    setStatus(progress, 'completed');
    return { runId, pipeline: manifest.pipeline.name, fingerprint, target, steps, outputs: artifacts.outputs, runDir: artifacts.runDir };
  } catch (err) {
    setStatus(progress, isCancellation(err) ? 'cancelled' : 'failed');
    throw err;
  } finally {
    // Runs even when the workflow is cancelled, so no workspace is left behind.
    await CancellationScope.nonCancellable(() => host.cleanupWorkspace(workspace));
  }
}

function hostActivities(workspace: PreparedWorkspace) {
  return proxyActivities<ExecActivities>({
    taskQueue: workspace.hostTaskQueue,
    // The host worker must be alive to take the task; if it never comes back, fail instead of waiting forever.
    scheduleToStartTimeout: '10 minutes',
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

function setStatus(progress: RunProgress, status: RunProgress['status']): void {
  progress.status = status;
  upsertSearchAttributes([{ key: OsirisStatus, value: status }]);
}

function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Names the failing step and keeps the error type and hint, so the CLI can say what to fix. */
function stepFailure(stepId: string, err: unknown): unknown {
  if (isCancellation(err)) return err;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const app = cause instanceof ApplicationFailure ? cause : undefined;
  const hint = (app?.details?.[0] as { hint?: string } | undefined)?.hint;
  const reason = describeFailure(err);
  return ApplicationFailure.create({
    // Runtime errors usually name the step already; don't say it twice.
    message: reason.includes(`Step "${stepId}"`) ? reason : `Step "${stepId}" failed: ${reason}`,
    type: app?.type ?? 'STEP_FAILED',
    nonRetryable: true,
    details: [{ stepId, hint: hint ?? 'See the step error above and the run history in the Temporal Web UI.' }],
    cause: err instanceof Error ? err : undefined,
  });
}
