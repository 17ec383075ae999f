import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { OsirisError } from '../errors.js';
import { CONTROL_TASK_QUEUE, EXEC_TASK_QUEUES, type ExecutionTarget } from '../workflows/task-queues.js';

/**
 * A live worker polls again at least every minute (the server holds a poll for up to 60 s); a dead
 * one stays listed for about 5 minutes, so only pollers seen recently count.
 */
export const LIVE_POLLER_MS = 75_000;

async function hasPollers(client: Client, queue: string, type: proto.temporal.api.enums.v1.TaskQueueType): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: queue }, taskQueueType: type });
  const now = Date.now();
  return (response.pollers ?? []).some((p) => p.lastAccessTime?.seconds != null && now - Number(p.lastAccessTime.seconds) * 1000 < LIVE_POLLER_MS);
}

/**
 * With a shared server the CLI runs no workers of its own. Without a worker a run would wait
 * silently forever, so say which one to start instead.
 */
export async function requireWorkers(client: Client, target: ExecutionTarget): Promise<void> {
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType;
  const missing: string[] = [];
  if (!(await hasPollers(client, CONTROL_TASK_QUEUE, TASK_QUEUE_TYPE_WORKFLOW))) missing.push(`${CONTROL_TASK_QUEUE} (osiris worker --queue control)`);
  if (!(await hasPollers(client, EXEC_TASK_QUEUES[target], TASK_QUEUE_TYPE_ACTIVITY))) missing.push(`${EXEC_TASK_QUEUES[target]} (osiris worker --queue exec-${target})`);
  if (missing.length > 0) {
    throw new OsirisError('TEMPORAL_UNAVAILABLE', `No worker is polling ${missing.join(' and ')}`, {
      hint: 'With TEMPORAL_ADDRESS set, workers run separately: start them with the commands shown, or unset TEMPORAL_ADDRESS to use the embedded server and in-process workers.',
    });
  }
}
