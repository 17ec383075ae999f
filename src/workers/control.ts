import { Worker, type NativeConnection } from '@temporalio/worker';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';
import { workflowSource } from './workflow-source.js';

export interface ControlWorkerOptions {
  connection: NativeConnection;
  namespace: string;
}

/** Runs the workflows (conversation, pipelineRun) on `osiris-control`. */
export function createControlWorker(o: ControlWorkerOptions): Promise<Worker> {
  return Worker.create({ connection: o.connection, namespace: o.namespace, taskQueue: CONTROL_TASK_QUEUE, ...workflowSource() });
}
