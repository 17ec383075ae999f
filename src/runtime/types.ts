import type { ConnectionResolver } from '../connectors/types.js';
import type { ManifestStep } from '../oml/manifest.js';

/**
 * Where a run executes. The same runtime code runs in the local worker and in a sandbox, so
 * everything a step needs arrives through this context (no globals, no Temporal imports).
 */
export interface RunContext {
  /** Run workspace directory: each step's output table lives in `<workspaceDir>/steps/<id>.duckdb`. */
  workspaceDir: string;
  /** The project directory: base for relative input paths (e.g. csv_extractor) unless inputDir is set. */
  projectDir: string;
  /** Input files (csv_extractor) are read only inside this directory; default projectDir. */
  inputDir?: string;
  /** Absolute output directory; writers refuse to write outside it. */
  outputDir: string;
  resolveConnection: ConnectionResolver;
}

export interface StepProgress {
  stepId: string;
  /** Rows processed so far by this step. */
  rows: number;
}

export interface StepOutputFile {
  /** Absolute path of the written file. */
  path: string;
  bytes: number;
}

export interface StepResult {
  stepId: string;
  component: string;
  /** Rows in the step's output table (readers, transforms) or rows written (writers). */
  rows: number;
  outputs: StepOutputFile[];
  durationMs: number;
}

export interface StepOptions {
  /** Called after each batch. If it throws, the step stops and the error propagates (no partial output survives). */
  onProgress?: (progress: StepProgress) => void;
  signal?: AbortSignal;
}

export type ExecuteStep = (step: ManifestStep, ctx: RunContext, options?: StepOptions) => Promise<StepResult>;
