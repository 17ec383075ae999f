import type { ManifestStep } from '../oml/manifest.js';
import type { ConnectionResolver } from '../connections/types.js';
import type { StepOptions, StepResult } from '../dataplane/step-contract.js';

/** Where a run's workspace lives: a directory on this host, or inside a sandbox. */
export interface WorkspaceHandle {
  /** The workspace directory as the executing side sees it. */
  workspaceDir: string;
  /** Output directory as the executing side sees it. */
  outputDir: string;
  /** Set by sandbox backends: every later step of the run goes to this sandbox. */
  sandboxId?: string;
}

/**
 * How an execution queue runs steps. The local backend runs them in this process; a sandbox backend
 * runs the very same runtime inside a sandbox. The activities around it (heartbeats, events, error
 * mapping) are shared, so both targets behave and report alike.
 */
export interface ExecutionBackend {
  readonly name: string;
  /** Creates the run's workspace; idempotent (a retried prepare must not create a second one). */
  prepare(runId: string): Promise<WorkspaceHandle>;
  executeStep(step: ManifestStep, workspace: WorkspaceHandle, options: StepOptions & { resolveConnection: ConnectionResolver }): Promise<StepResult>;
  /** Removes the workspace (kills the sandbox); idempotent, runs even after failure or cancellation. */
  cleanup(workspace: WorkspaceHandle): Promise<void>;
}
