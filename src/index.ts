/**
 * The public API of the `osiris-temporal` package, for users' own workers and clients. Workflow
 * code must import from `osiris-temporal/workflows` instead (this module loads native drivers).
 */
import { loadProjectConfig } from './config/project-config.js';
import { projectConnectionOptions } from './temporal/connection-options.js';

export { osirisPlugin, OsirisPlugin, type OsirisPluginOptions } from './workers/plugin.js';
export type { PipelineRunInput, PipelineRunResult } from './workflows/pipeline-run.js';
export type { pipelineRun, conversation } from './workflows/index.js';
export type { RunProgress, StepProgressState } from './workflows/run-progress.js';
export type { ConversationInput, ConversationView, Reply, TranscriptEntry, RunRecord } from './workflows/conversation-types.js';
export {
  progressQuery,
  sendMessageUpdate,
  approveSignal,
  rejectSignal,
  endSignal,
  stateQuery,
  transcriptQuery,
  pipelineQuery,
} from './workflows/messages.js';
export { CONTROL_TASK_QUEUE, EXEC_TASK_QUEUES, type ExecutionTarget } from './workflows/task-queues.js';
export { compileOml } from './oml/compile.js';
export type { CompiledPipeline, Manifest, ManifestStep, ParamValue } from './oml/manifest.js';
export { startPipelineRun, newRunWorkflowId } from './client/start-run.js';
export { parseRunWorkflowId, pipelineOfScheduleId, runWorkflowId, scheduleIdFor, sessionIdOf, sessionWorkflowId } from './workflows/ids.js';

/** Connection options from temporal.toml, osiris.yaml and TEMPORAL_* (TLS, mTLS, API key), for your own connections. */
export function osirisConnectionOptions(projectDir?: string) {
  return projectConnectionOptions(loadProjectConfig(projectDir));
}
