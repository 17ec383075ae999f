/**
 * Entry point of the workflow bundle and of `osiris-temporal/workflows`: every workflow type, and
 * the messages to talk to them. Safe to import from workflow code (deterministic, no Node APIs).
 */
export { pipelineRun, type PipelineRunInput, type PipelineRunResult } from './pipeline-run.js';
export { conversation } from './conversation.js';
export { agentTool } from './agent-tool.js';
export * from './messages.js';
export { CONTROL_TASK_QUEUE, EXEC_TASK_QUEUES, type ExecutionTarget } from './task-queues.js';
