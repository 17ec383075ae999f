/**
 * The compiled form of an OML pipeline. Pure types: imported by workflows, activities and runtime.
 * The manifest is serialised as canonical JSON; the sha256 of those bytes is the pipeline fingerprint.
 */
export type StepMode = 'read' | 'transform' | 'write';

export type ParamValue = string | number | boolean;

export interface ManifestStep {
  id: string;
  component: string;
  /** Pinned version of the component spec this step was validated against. */
  component_version: string;
  mode: StepMode;
  /** Step ids whose output tables this step reads. */
  needs: string[];
  /** DuckDB table holding this step's output (`df_<id>`, non-alphanumerics become `_`). */
  output_table: string;
  /** Config with `${params.x}` already substituted. Connections stay as `@family.alias` references. */
  config: Record<string, unknown>;
  /**
   * Set by the compiler when the step's only reader is a writer of this file format: the step stores its
   * output as the very file that writer would write (`steps/<id>.<format>`), and the writer copies it
   * instead of encoding every row a second time. Absent: the output is a DuckDB table.
   */
  stored_as?: StoredOutput;
}

export interface StoredOutput {
  format: 'parquet';
  compression: string;
}

export interface Manifest {
  manifest_version: '1';
  pipeline: { name: string; oml_version: string };
  params: Record<string, ParamValue>;
  /** Steps in topological order. */
  steps: ManifestStep[];
  /** DAG levels: every step of a level depends only on steps of earlier levels. */
  levels: string[][];
}

export interface CompiledPipeline {
  manifest: Manifest;
  /** Canonical JSON bytes of the manifest (what the fingerprint hashes). */
  json: string;
  /** sha256 hex of `json`. */
  fingerprint: string;
}

/** `df_<id>` with every non-alphanumeric character replaced by `_`. */
export function outputTableName(stepId: string): string {
  return `df_${stepId.replace(/[^A-Za-z0-9]/g, '_')}`;
}
