import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompileActivities, CompilePipelineInput, ExecActivities, PreparedWorkspace, RunEnd } from '../activities/types.js';
import { FINAL_ERROR_CODES, readFailureDetails } from '../failure-details.js';
import type { Manifest } from '../oml/manifest.js';
import type { EventError } from '../runtime/events.js';
import type { StepOutputFile, StepResult } from '../dataplane/step-contract.js';
import { HOST_FAILOVER_DEFAULTS, HOST_FAILOVER_PATCH, HostLost, isHostLoss, type HostFailoverOptions } from './host-failover.js';
import { progressQuery } from './messages.js';
import { completeStep, initialProgress, markStep, type RunProgress } from './run-progress.js';
import { OsirisPipeline, OsirisStatus } from './search-attributes.js';
import { EXEC_TASK_QUEUES, type ExecutionTarget } from './task-queues.js';

/**
 * A compiled manifest (what `osiris run` and the conversation send, with the OML it was compiled
 * from when they have it), or OML text with params that the run compiles first (what a user's own
 * workflow or client can send). Either way the OML is saved with the run for `osiris logs html`.
 */
export type PipelineRunInput = ({ manifest: Manifest; fingerprint: string; /** The OML source, shown in the run's report. */ oml?: string } | CompilePipelineInput) & {
  /** Which execution task queue runs the steps (default `local`). */
  target?: ExecutionTarget;
  /** When the host holding the workspace is lost: how long to wait, how many attempts. */
  hostFailover?: HostFailoverOptions;
  /**
   * A queue of the starter's own instead of the target's shared one (`osiris run` in embedded mode:
   * its steps run in its own process, with its shell's environment). Absent in older histories,
   * so their commands are unchanged.
   */
  execQueue?: string;
};

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
const NON_RETRYABLE = [...FINAL_ERROR_CODES];

/**
 * Runs a compiled pipeline: prepare a workspace on one execution host, run the DAG level by level
 * (independent steps in parallel, all on that host's queue), finalize, and always clean up.
 */
export async function pipelineRun(input: PipelineRunInput): Promise<PipelineRunResult> {
  const { manifest, fingerprint } = 'manifest' in input ? input : await compile(input);
  const target = input.target ?? 'local';
  const runId = workflowInfo().workflowId;
  const progress: RunProgress = initialProgress(runId, manifest, fingerprint, target);
  setHandler(progressQuery, () => progress);
  upsertMemo({ pipeline: manifest.pipeline.name, fingerprint, target });
  setStatus(progress, 'preparing');
  upsertSearchAttributes([{ key: OsirisPipeline, value: manifest.pipeline.name }]);

  const { prepareWorkspace } = proxyActivities<ExecActivities>({
    taskQueue: input.execQueue ?? EXEC_TASK_QUEUES[target],
    startToCloseTimeout: '5 minutes',
    // prepareWorkspace heartbeats: a worker lost while preparing is replaced in seconds, not minutes.
    heartbeatTimeout: '20 seconds',
    retry: { initialInterval: '1s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const oml = 'oml' in input ? input.oml : undefined;
  // Runs recorded before failover existed replay the single-attempt path unchanged.
  const failover = patched(HOST_FAILOVER_PATCH);
  const maxAttempts = failover ? Math.max(1, input.hostFailover?.maxAttempts ?? HOST_FAILOVER_DEFAULTS.maxAttempts) : 1;
  const lostHosts: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const again = attempt > 1 ? { runAttempt: attempt, lostHosts: [...lostHosts] } : {};
    // Summaries name what each activity does, so the Web UI's timeline reads as the pipeline.
    const summary = attempt > 1 ? `prepare ${target} workspace (attempt ${attempt}: host ${lostHosts.at(-1)} lost)` : `prepare ${target} workspace`;
    const workspace = await prepareWorkspace.executeWithOptions({ summary }, [{ runId, manifest, fingerprint, target, oml, ...again }]);
    try {
      return await runOnHost({ runId, manifest, fingerprint, target, progress, workspace, failover: failover ? input.hostFailover ?? {} : undefined });
    } catch (err) {
      if (!(err instanceof HostLost)) throw err;
      lostHosts.push(err.hostTaskQueue);
      if (attempt >= maxAttempts) {
        setStatus(progress, 'failed');
        throw ApplicationFailure.create({
          message: `The run lost the host holding its workspace ${attempt} time(s) (${lostHosts.join(', ')})`,
          type: 'HOST_LOST',
          nonRetryable: true,
          details: [{ hint: 'Start exec workers that stay up (osiris worker --queue exec-local) and run it again.' }],
          cause: err.failure instanceof Error ? err.failure : undefined,
        });
      }
      progress.attempt = attempt + 1;
      progress.lostHosts = [...lostHosts];
      for (const step of progress.steps) markStep(progress, step.id, { status: 'pending', rows: undefined, durationMs: undefined, error: undefined });
      setStatus(progress, 'preparing');
    }
  }
}

interface AttemptContext {
  runId: string;
  manifest: Manifest;
  fingerprint: string;
  target: ExecutionTarget;
  progress: RunProgress;
  workspace: PreparedWorkspace;
  /** Set when the run may move to another host (the patched path). */
  failover?: HostFailoverOptions;
}

/** One attempt: the DAG level by level on the workspace's host, finalize, and always clean up (unless the host is gone). */
async function runOnHost({ runId, manifest, fingerprint, target, progress, workspace, failover }: AttemptContext): Promise<PipelineRunResult> {
  const host = hostActivities(workspace, failover);
  let end: RunEnd = { runId, status: 'completed' };
  let hostLost = false;
  // A task the host never started means the host is gone: leave this attempt (no cleanup can run there).
  const onHost = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      if (failover && isHostLoss(err)) {
        hostLost = true;
        throw new HostLost(workspace.hostTaskQueue, err);
      }
      throw err;
    });

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
            const result = await onHost(host.runStep.executeWithOptions({ summary: `${step.id} (${step.component})` }, [{ runId, workspace, step }]));
            results.set(stepId, result);
            completeStep(progress, result);
          } catch (err) {
            if (err instanceof HostLost) throw err;
            markStep(progress, stepId, { status: 'failed', error: failureInfo(err).message });
            throw stepFailure(stepId, err);
          }
        }),
      );
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw settled.map((s) => (s.status === 'rejected' ? s.reason : undefined)).find((r) => r instanceof HostLost) ?? failed.reason;
    }
    setStatus(progress, 'finalizing');
    const steps = manifest.steps.map((s) => results.get(s.id)!);
    const artifacts = await onHost(host.finalizeRun.executeWithOptions({ summary: 'finalize' }, [{ runId, workspace, manifest, fingerprint, steps }]));
    setStatus(progress, 'completed');
    return { runId, pipeline: manifest.pipeline.name, fingerprint, target, steps, outputs: artifacts.outputs, runDir: artifacts.runDir };
  } catch (err) {
    if (err instanceof HostLost) throw err;
    end = { runId, status: isCancellation(err) ? 'cancelled' : 'failed', error: failureInfo(err) };
    setStatus(progress, end.status);
    throw err;
  } finally {
    // Runs even when the workflow is cancelled, so no workspace is left behind and the run's end is recorded.
    if (!hostLost) await CancellationScope.nonCancellable(() => host.cleanupWorkspace.executeWithOptions({ summary: `cleanup (${end.status})` }, [{ ...workspace, end }]));
  }
}

/** Runs on the workflow's own task queue: osiris-control, or the user's queue when embedded with the plugin. */
function compile(input: CompilePipelineInput) {
  const { compilePipeline } = proxyActivities<CompileActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1s', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
  });
  return compilePipeline({ oml: input.oml, params: input.params });
}

function hostActivities(workspace: PreparedWorkspace, failover: HostFailoverOptions | undefined) {
  return proxyActivities<ExecActivities>({
    taskQueue: workspace.hostTaskQueue,
    // The host worker must be alive to take the task; if it never comes back, fail instead of waiting
    // forever (or, with failover, move the run to another host after the shorter host timeout).
    scheduleToStartTimeout: failover ? (failover.hostTimeout ?? HOST_FAILOVER_DEFAULTS.hostTimeout) : '10 minutes',
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: failover ? HOST_FAILOVER_DEFAULTS.heartbeatTimeout : '30 seconds',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
    // On cancel, wait until the step has stopped (and recorded its CANCELLED step_error) before cleanup
    // records run_end and removes the workspace; the default (TRY_CANCEL) would race the running step.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
}

function setStatus(progress: RunProgress, status: RunProgress['status']): void {
  progress.status = status;
  upsertSearchAttributes([{ key: OsirisStatus, value: status }]);
}

/** A failure's message and type, and the step and hint from its details (what run_end records). */
function failureInfo(err: unknown): EventError {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const app = cause instanceof ApplicationFailure ? cause : undefined;
  const details = readFailureDetails(app?.details);
  return {
    code: app?.type ?? (isCancellation(err) ? 'CANCELLED' : 'STEP_FAILED'),
    message: cause instanceof Error ? cause.message : String(cause),
    hint: details.hint,
    stepId: details.stepId,
  };
}

/** Names the failing step and keeps the error type and hint, so the CLI can say what to fix. */
function stepFailure(stepId: string, err: unknown): unknown {
  if (isCancellation(err)) return err;
  const { code, message, hint } = failureInfo(err);
  return ApplicationFailure.create({
    // Runtime errors usually name the step already; don't say it twice.
    message: message.includes(`Step "${stepId}"`) ? message : `Step "${stepId}" failed: ${message}`,
    type: code,
    nonRetryable: true,
    details: [{ stepId, hint: hint ?? 'See the step error above and the run history in the Temporal Web UI.' }],
    cause: err instanceof Error ? err : undefined,
  });
}
