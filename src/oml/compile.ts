import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { dagLevels } from './dag.js';
import { OmlInvalidError } from './errors.js';
import { outputTableName, type CompiledPipeline, type Manifest, type ManifestStep } from './manifest.js';
import type { Problem } from './problem.js';
import { planStoredOutputs } from './stored-outputs.js';
import { analyzeOml, type ValidateOptions } from './validate.js';

export interface CompileResult extends CompiledPipeline {
  /** Warnings from validation (e.g. a legacy-format upgrade); errors throw instead. */
  warnings: Problem[];
}

/**
 * Validates and compiles OML into a manifest: params substituted, config defaults made explicit,
 * component versions pinned, steps in topological order grouped into DAG levels. The manifest's
 * canonical JSON and its sha256 depend only on the pipeline's meaning and the effective params.
 * Throws OmlInvalidError (code OML_INVALID) carrying every problem.
 */
export async function compileOml(text: string, options: ValidateOptions = {}): Promise<CompileResult> {
  const { report, params, steps } = await analyzeOml(text, options);
  if (!report.ok || !report.oml || !steps) throw new OmlInvalidError(report.problems, options.file);

  const levels = dagLevels(steps);
  const position = new Map(levels.flat().map((id, index) => [id, index]));
  const manifestSteps = steps
    .map((step): ManifestStep => ({
      id: step.id,
      component: step.component,
      component_version: step.spec.version,
      mode: step.mode,
      needs: step.needs,
      output_table: outputTableName(step.id),
      config: step.config,
    }))
    .sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  planStoredOutputs(manifestSteps, new Map(steps.map((step) => [step.id, step.spec])));
  const manifest: Manifest = {
    manifest_version: '1',
    pipeline: { name: report.oml.name, oml_version: report.oml.oml_version },
    params,
    steps: manifestSteps,
    levels,
  };
  const json = canonicalJson(manifest);
  const fingerprint = createHash('sha256').update(json, 'utf8').digest('hex');
  return { manifest, json, fingerprint, warnings: report.problems };
}
