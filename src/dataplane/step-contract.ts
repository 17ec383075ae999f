import type { ConnectionResolver, ResolvedConnection } from '../connections/types.js';
import { OsirisError } from '../errors.js';
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
  /** The step's connections by reference, resolved once by the runtime before the component runs. */
  connections: ReadonlyMap<string, ResolvedConnection>;
}

/** What the runtime is given: the same place, with connections still to resolve (locally, or from a sandbox's environment). */
export interface RunSetup extends Omit<RunContext, 'connections'> {
  resolveConnection: ConnectionResolver;
}

/** A connection the runtime resolved for this step; components never resolve one themselves. */
export function stepConnection(ctx: RunContext, ref: string, stepId: string): ResolvedConnection {
  const connection = ctx.connections.get(ref);
  if (connection) return connection;
  throw new OsirisError('CONNECTION_NOT_FOUND', `Step "${stepId}": connection ${ref} was not resolved for this step`, {
    hint: 'Name the connection in a config key the component declares as a connection (see `osiris components show`).',
  });
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

export type ExecuteStep = (step: ManifestStep, setup: RunSetup, options?: StepOptions) => Promise<StepResult>;

/** What a component reports; `executeStep` adds the step id, component name and timing. */
export type StepOutcome = Pick<StepResult, 'rows' | 'outputs'>;

/** One component's code: what a connector family's drivers provide for each of its components. */
export type StepImplementation = (step: ManifestStep, ctx: RunContext, options: StepOptions) => Promise<StepOutcome>;
