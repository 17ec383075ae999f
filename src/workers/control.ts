import { Worker, type NativeConnection } from '@temporalio/worker';
import { createAgentActivities } from '../activities/agent.js';
import { createProjectActivities } from '../activities/agent-project.js';
import { createCompileActivities } from '../activities/compile.js';
import { createProvider } from '../agent/providers/index.js';
import type { ProjectConfig } from '../config/project-config.js';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';
import { osirisDataConverter } from '../temporal/data-converter.js';
import type { WorkerTuning } from './deployment.js';
import { workflowSource } from './workflow-source.js';

export interface ControlWorkerOptions {
  connection: NativeConnection;
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir' | 'outputDir' | 'temporal' | 'llm'>;
  /** Concurrency and shutdown settings of `osiris worker`. */
  tuning?: WorkerTuning;
}

/** What the control queue serves besides workflows: compiling, the agent's LLM and tool calls, the project actions (MCP). */
export function createControlActivities(config: ControlWorkerOptions['config']) {
  return { ...createAgentActivities({ config, provider: createProvider(config.llm) }), ...createCompileActivities(), ...createProjectActivities(config) };
}

/** `osiris-control`: the workflows (conversation, pipelineRun, agentTool), the agent's LLM and tool activities and the project actions. */
export function createControlWorker(o: ControlWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: CONTROL_TASK_QUEUE,
    dataConverter: osirisDataConverter(),
    activities: createControlActivities(o.config),
    ...workflowSource(),
    ...o.tuning,
  });
}
