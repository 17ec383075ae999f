import type { Client, WorkflowHandle } from '@temporalio/client';
import { ulid } from 'ulid';
import type { CompiledPipeline } from '../oml/manifest.js';
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
export function startPipelineRun(client: Client, compiled: Pick<CompiledPipeline, 'manifest' | 'fingerprint'>, target: ExecutionTarget, options: { oml?: string; execQueue?: string } = {}): Promise<WorkflowHandle<typeof pipelineRun>> {
  return client.workflow.start<typeof pipelineRun>('pipelineRun', {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: newRunWorkflowId(compiled.manifest.pipeline.name, compiled.fingerprint),
    args: [{ manifest: compiled.manifest, fingerprint: compiled.fingerprint, target, oml: options.oml, execQueue: options.execQueue }],
  });
}
