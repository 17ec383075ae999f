/**
 * Activity signatures as the workflows see them. Workflows import only these types, never the
 * implementations (which touch files, databases and native modules).
 */
import type { Manifest, ManifestStep, ParamValue } from '../oml/manifest.js';
import type { Problem } from '../oml/problem.js';
import type { WorkspaceHandle } from '../runtime/backend.js';
import type { EventError, RunEndStatus } from '../runtime/events.js';
import type { StepOutputFile, StepResult } from '../dataplane/step-contract.js';

export interface PrepareWorkspaceInput {
  runId: string;
  /** Saved in the run directory with the run_start event, for `osiris logs` and the HTML report. */
  manifest: Manifest;
  fingerprint: string;
  target: string;
  /** The OML source, when the run was started from OML text. */
  oml?: string;
  /** From the second attempt on (the host holding the workspace was lost): the attempt and the lost hosts' queues. */
  runAttempt?: number;
  lostHosts?: string[];
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

/** How a run ended, recorded as its run_end event when the workspace is cleaned up. */
export interface RunEnd {
  runId: string;
  status: RunEndStatus;
  error?: EventError;
}

export interface CleanupWorkspaceInput extends PreparedWorkspace {
  /** Absent in runs started before run events existed. */
  end?: RunEnd;
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
  cleanupWorkspace(input: CleanupWorkspaceInput): Promise<void>;
}

/** Heartbeat details of `runStep`: what the CLI shows as live progress. */
export interface StepHeartbeat {
  stepId: string;
  rows: number;
  /** Since this attempt started, measured on the executing host: rows / elapsed is the rate, whatever the clocks. */
  elapsedMs: number;
}

export interface CompilePipelineInput {
  oml: string;
  params?: Record<string, ParamValue>;
}

export interface CompiledManifest {
  manifest: Manifest;
  fingerprint: string;
  warnings: Problem[];
}

/** Control-queue activity: OML text -> manifest (validation needs DuckDB's parser, so not in workflow code). */
export interface CompileActivities {
  compilePipeline(input: CompilePipelineInput): Promise<CompiledManifest>;
}
