import type { Client, ScheduleDescription, ScheduleHandle } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import type { CompiledPipeline } from '../oml/manifest.js';
import type { HostFailoverOptions } from '../workflows/host-failover.js';
import type { PipelineRunInput } from '../workflows/pipeline-run.js';
import { runWorkflowIdBase, scheduleIdFor } from '../workflows/ids.js';
import { OsirisPipeline } from '../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE, type ExecutionTarget } from '../workflows/task-queues.js';

export { scheduleIdFor };

export interface CreateScheduleOptions {
  scheduleId?: string;
  cron: string;
  target: ExecutionTarget;
  /** What to do when a run is still going at the next time: skip it (default), buffer one, or allow all. */
  overlap?: 'skip' | 'buffer_one' | 'allow_all';
  /** The OML the manifest was compiled from: each scheduled run saves it for its HTML report. */
  oml?: string;
  hostFailover?: HostFailoverOptions;
}

const OVERLAP = { skip: ScheduleOverlapPolicy.SKIP, buffer_one: ScheduleOverlapPolicy.BUFFER_ONE, allow_all: ScheduleOverlapPolicy.ALLOW_ALL } as const;

/**
 * A Temporal Schedule that starts `pipelineRun` with the manifest compiled now: the schedule runs
 * exactly the pipeline (fingerprint) that was reviewed, not whatever the file says later.
 */
export async function createPipelineSchedule(client: Client, compiled: CompiledPipeline, options: CreateScheduleOptions): Promise<ScheduleHandle> {
  const name = compiled.manifest.pipeline.name;
  const input: PipelineRunInput = { manifest: compiled.manifest, fingerprint: compiled.fingerprint, target: options.target, oml: options.oml, hostFailover: options.hostFailover };
  return client.schedule.create({
    scheduleId: options.scheduleId ?? scheduleIdFor(name),
    spec: { cronExpressions: [options.cron] },
    action: {
      type: 'startWorkflow',
      workflowType: 'pipelineRun',
      taskQueue: CONTROL_TASK_QUEUE,
      // Temporal appends the scheduled time, so every run has its own id.
      workflowId: runWorkflowIdBase(name, compiled.fingerprint),
      args: [input],
      typedSearchAttributes: [{ key: OsirisPipeline, value: name }],
    },
    policies: { overlap: OVERLAP[options.overlap ?? 'skip'] },
    // The server turns cron into calendar specs; the memo keeps the expression as the user wrote it.
    memo: { pipeline: name, fingerprint: compiled.fingerprint, target: options.target, cron: options.cron },
    typedSearchAttributes: [{ key: OsirisPipeline, value: name }],
  });
}

/** The manifest a schedule runs, from its action's arguments. */
export function scheduledInput(description: ScheduleDescription): Extract<PipelineRunInput, { manifest: unknown }> | undefined {
  const action = description.action;
  if (action.type !== 'startWorkflow' || action.workflowType !== 'pipelineRun') return undefined;
  const input = action.args?.[0] as PipelineRunInput | undefined;
  return input && 'manifest' in input ? input : undefined;
}
