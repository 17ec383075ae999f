/**
 * Workflow and schedule ids, and their inverses: one definition for the CLI, the workflows and the
 * package's users. Pure, so workflow code may import it; the caller supplies anything random.
 */
const RUN_PREFIX = 'osiris-run-';
const SESSION_PREFIX = 'osiris-session-';
const SCHEDULE_PREFIX = 'osiris-schedule-';

/** `osiris-run-<name>-<fp8>`: what every run of one pipeline version shares (schedules append the time). */
export const runWorkflowIdBase = (pipelineName: string, fingerprint: string): string => `${RUN_PREFIX}${pipelineName}-${fingerprint.slice(0, 8)}`;

/** `osiris-run-<name>-<fp8>-<unique>` (docs/architecture.md): readable, unique, tied to the pipeline version. */
export const runWorkflowId = (pipelineName: string, fingerprint: string, unique: string): string => `${runWorkflowIdBase(pipelineName, fingerprint)}-${unique}`;

/** The pipeline name and fingerprint prefix of a run id, or undefined for ids that are not Osiris runs. */
export function parseRunWorkflowId(workflowId: string): { pipeline: string; fingerprint8: string } | undefined {
  const match = /^osiris-run-(.+)-([0-9a-f]{8})(?:-.+)?$/.exec(workflowId);
  return match ? { pipeline: match[1]!, fingerprint8: match[2]! } : undefined;
}

export const sessionWorkflowId = (sessionId: string): string => `${SESSION_PREFIX}${sessionId}`;

/** The session id of a conversation's workflow id, or undefined. */
export const sessionIdOf = (workflowId: string): string | undefined => (workflowId.startsWith(SESSION_PREFIX) ? workflowId.slice(SESSION_PREFIX.length) : undefined);

export const scheduleIdFor = (pipelineName: string): string => `${SCHEDULE_PREFIX}${pipelineName}`;

/** The pipeline name of a default schedule id, or undefined for ids chosen by the user. */
export const pipelineOfScheduleId = (scheduleId: string): string | undefined => (scheduleId.startsWith(SCHEDULE_PREFIX) ? scheduleId.slice(SCHEDULE_PREFIX.length) : undefined);
