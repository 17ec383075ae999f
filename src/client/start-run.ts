import type { Client, WorkflowHandle } from '@temporalio/client';
import { ulid } from 'ulid';
import type { CompiledPipeline } from '../oml/manifest.js';
import type { HostFailoverOptions } from '../workflows/host-failover.js';
import { runWorkflowId } from '../workflows/ids.js';
import type { pipelineRun } from '../workflows/pipeline-run.js';
import { CONTROL_TASK_QUEUE, type ExecutionTarget } from '../workflows/task-queues.js';

/** A new run's id, unique by a ULID (time-ordered, so `osiris logs list` sorts naturally). */
export function newRunWorkflowId(name: string, fingerprint: string): string {
  return runWorkflowId(name, fingerprint, ulid().toLowerCase());
}

/**
 * `options.oml`, the source the manifest was compiled from, is saved with the run and shown in its
 * HTML report; `options.execQueue` sends the run's steps to a queue of the caller's own.
 */
/** osiris.yaml's failover settings as pipelineRun takes them; undefined when none is set (the workflow's defaults). */
export function hostFailoverOf(execution: { host_timeout_seconds?: number; max_host_attempts?: number }): HostFailoverOptions | undefined {
  const { host_timeout_seconds: seconds, max_host_attempts: maxAttempts } = execution;
  if (seconds === undefined && maxAttempts === undefined) return undefined;
  return { ...(seconds !== undefined ? { hostTimeout: `${seconds} seconds` } : {}), ...(maxAttempts !== undefined ? { maxAttempts } : {}) };
}

export function startPipelineRun(
  client: Client,
  compiled: Pick<CompiledPipeline, 'manifest' | 'fingerprint'>,
  target: ExecutionTarget,
  options: { oml?: string; execQueue?: string; hostFailover?: HostFailoverOptions } = {},
): Promise<WorkflowHandle<typeof pipelineRun>> {
  return client.workflow.start<typeof pipelineRun>('pipelineRun', {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: newRunWorkflowId(compiled.manifest.pipeline.name, compiled.fingerprint),
    args: [{ manifest: compiled.manifest, fingerprint: compiled.fingerprint, target, oml: options.oml, execQueue: options.execQueue, hostFailover: options.hostFailover }],
  });
}
