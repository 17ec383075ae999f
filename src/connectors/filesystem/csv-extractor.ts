import { access } from 'node:fs/promises';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceStepOutput, quoteIdent, sqlString } from '../../dataplane/step-db.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { resolveInputPath } from './input-path.js';
import { csvExtractorSpec } from './spec.js';

/** Loads a CSV file with DuckDB's own reader (types detected by DuckDB) into the step's output table. */
export async function runCsvExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = csvExtractorSpec.config.parse(step.config) as { path: string; delimiter?: string; header: boolean };
  const root = ctx.inputDir ?? ctx.projectDir;
  const file = await resolveInputPath(root, config.path, step.id);
  try {
    await access(file);
  } catch {
    throw new OsirisError('INPUT_MISSING', `Step "${step.id}": CSV file ${file} does not exist or cannot be read`, {
      hint: `Check \`path\` of step "${step.id}"; a relative path is taken from the input directory (${root}).`,
    });
  }
  const readOptions = [`header = ${config.header}`];
  if (config.delimiter !== undefined) readOptions.push(`delim = ${sqlString(config.delimiter)}`);
  const rows = await produceStepOutput(step, ctx, async (conn) => {
    await conn.run(`CREATE TABLE ${quoteIdent(step.output_table)} AS SELECT * FROM read_csv(${sqlString(file)}, ${readOptions.join(', ')})`);
  });
  options.onProgress?.({ stepId: step.id, rows });
  return { rows, outputs: [] };
}
