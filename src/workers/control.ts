import { Worker, type NativeConnection } from '@temporalio/worker';
import { createAgentActivities } from '../activities/agent.js';
import { createCompileActivities } from '../activities/compile.js';
import { createProvider } from '../agent/providers/index.js';
import type { ProjectConfig } from '../config/project-config.js';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';
import { osirisDataConverter } from '../temporal/data-converter.js';
import type { WorkerTuning } from './deployment.js';
import { workflowSource } from './workflow-source.js';

export interface ControlWorkerOptions {
  connection: NativeConnection;
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir' | 'temporal' | 'llm'>;
  /** Concurrency and shutdown settings of `osiris worker`. */
  tuning?: WorkerTuning;
}

/** `osiris-control`: the workflows (conversation, pipelineRun) and the agent's LLM and tool activities. */
export function createControlWorker(o: ControlWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: CONTROL_TASK_QUEUE,
    dataConverter: osirisDataConverter(),
    activities: { ...createAgentActivities({ config: o.config, provider: createProvider(o.config.llm) }), ...createCompileActivities() },
    ...workflowSource(),
    ...o.tuning,
  });
}
