/** Entry point of the workflow bundle: every workflow type a worker registers. */
export { pipelineRun } from './pipeline-run.js';
export { conversation } from './conversation.js';
