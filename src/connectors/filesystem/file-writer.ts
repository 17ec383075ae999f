import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import type { ManifestStep } from '../../oml/manifest.js';
import { resolveOutputPath } from '../../dataplane/output-path.js';
import { quoteIdent, singleInputTable, sqlString, withStepInputs } from '../../dataplane/step-db.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { csvWriterSpec, jsonWriterSpec, parquetWriterSpec } from './spec.js';

export async function runCsvWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = csvWriterSpec.config.parse(step.config) as { path: string; delimiter: string; header: boolean };
  return copyToFile(step, ctx, options, config.path, `FORMAT csv, HEADER ${config.header}, DELIMITER ${sqlString(config.delimiter)}`);
}

export async function runParquetWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = parquetWriterSpec.config.parse(step.config) as { path: string; compression: string };
  return copyToFile(step, ctx, options, config.path, `FORMAT parquet, COMPRESSION ${sqlString(config.compression)}`);
}

export async function runJsonWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = jsonWriterSpec.config.parse(step.config) as { path: string; format: 'ndjson' | 'array' };
  return copyToFile(step, ctx, options, config.path, `FORMAT json, ARRAY ${config.format === 'array'}`);
}

/**
 * `COPY` the step's input table to a temp file next to the target, then rename it over the target:
 * readers never see a half-written file, and a retried attempt simply replaces it.
 */
async function copyToFile(step: ManifestStep, ctx: RunContext, options: StepOptions, target: string, copyOptions: string): Promise<StepOutcome> {
  const input = singleInputTable(step);
  const file = await resolveOutputPath(ctx.outputDir, target, step.id);
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const rows = await withStepInputs(step, ctx, async (conn) => {
      const result = await conn.run(`COPY (SELECT * FROM ${quoteIdent(input)}) TO ${sqlString(temp)} (${copyOptions})`);
      return result.rowsChanged;
    });
    await rename(temp, file);
    options.onProgress?.({ stepId: step.id, rows });
    return { rows, outputs: [{ path: file, bytes: (await stat(file)).size }] };
  } finally {
    await rm(temp, { force: true });
  }
}
