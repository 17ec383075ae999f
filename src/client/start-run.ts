import type { Client, WorkflowHandle } from '@temporalio/client';
import { ulid } from 'ulid';
import type { CompiledPipeline } from '../oml/manifest.js';
import type { pipelineRun } from '../workflows/pipeline-run.js';
import { CONTROL_TASK_QUEUE, type ExecutionTarget } from '../workflows/task-queues.js';

/** `osiris-run-<name>-<fp8>-<ulid>` (DESIGN.md section 2): readable, unique, and tied to the pipeline version. */
export function runWorkflowId(name: string, fingerprint: string): string {
  return `osiris-run-${name}-${fingerprint.slice(0, 8)}-${ulid().toLowerCase()}`;
}

/** `options.oml`, the source the manifest was compiled from, is saved with the run and shown in its HTML report. */
export function startPipelineRun(client: Client, compiled: Pick<CompiledPipeline, 'manifest' | 'fingerprint'>, target: ExecutionTarget, options: { oml?: string } = {}): Promise<WorkflowHandle<typeof pipelineRun>> {
  return client.workflow.start<typeof pipelineRun>('pipelineRun', {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: runWorkflowId(compiled.manifest.pipeline.name, compiled.fingerprint),
    args: [{ manifest: compiled.manifest, fingerprint: compiled.fingerprint, target, oml: options.oml }],
  });
}
