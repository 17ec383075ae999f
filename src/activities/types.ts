/**
 * Activity signatures as the workflows see them. Workflows import only these types, never the
 * implementations (which touch files, databases and native modules).
 */
import type { Manifest, ManifestStep } from '../oml/manifest.js';
import type { WorkspaceHandle } from '../runtime/backend.js';
import type { StepOutputFile, StepResult } from '../runtime/types.js';

export interface PrepareWorkspaceInput {
  runId: string;
}

export interface PreparedWorkspace extends WorkspaceHandle {
  /** Queue served only by the worker that created the workspace: every later step runs there. */
  hostTaskQueue: string;
}

export interface RunStepInput {
  runId: string;
  workspace: PreparedWorkspace;
  step: ManifestStep;
}

export interface FinalizeRunInput {
  runId: string;
  workspace: PreparedWorkspace;
  manifest: Manifest;
  fingerprint: string;
  steps: StepResult[];
}

export interface RunArtifacts {
  /** Files written by the run's writers. */
  outputs: StepOutputFile[];
  /** Where the run's summary was saved (`.osiris/runs/<run-id>/`). */
  runDir: string;
}

export interface ExecActivities {
  prepareWorkspace(input: PrepareWorkspaceInput): Promise<PreparedWorkspace>;
  runStep(input: RunStepInput): Promise<StepResult>;
  finalizeRun(input: FinalizeRunInput): Promise<RunArtifacts>;
  cleanupWorkspace(workspace: PreparedWorkspace): Promise<void>;
}

/** Heartbeat details of `runStep`: what the CLI shows as live progress. */
export interface StepHeartbeat {
  stepId: string;
  rows: number;
}
