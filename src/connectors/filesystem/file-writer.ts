import { randomUUID } from 'node:crypto';
import { copyFile, link, rename, rm, stat } from 'node:fs/promises';
import type { ManifestStep } from '../../oml/manifest.js';
import { resolveOutputPath } from '../../dataplane/output-path.js';
import { quoteIdent, singleInputStep, singleInputTable, sqlString, withStepDuckDB, withStepInputs } from '../../dataplane/step-db.js';
import { readStoredFile } from '../../dataplane/stored-file.js';
import { storedOutputFile } from '../../dataplane/workspace.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { csvWriterSpec, jsonWriterSpec, parquetWriterSpec } from './spec.js';

export async function runCsvWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = csvWriterSpec.config.parse(step.config) as { path: string; delimiter: string; header: boolean };
  return copyToFile(step, ctx, options, config.path, `FORMAT csv, HEADER ${config.header}, DELIMITER ${sqlString(config.delimiter)}`);
}

export async function runParquetWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = parquetWriterSpec.config.parse(step.config) as { path: string; compression: string };
  const copyOptions = `FORMAT parquet, COMPRESSION ${sqlString(config.compression)}`;
  // An input step that stored its rows as this very file (`stored_as`) left no table to read.
  const stored = storedOutputFile(ctx.workspaceDir, singleInputStep(step), 'parquet');
  const info = await readStoredFile(stored);
  if (info === undefined) return copyToFile(step, ctx, options, config.path, copyOptions);
  return writeAtomically(step, ctx, options, config.path, async (temp) => {
    if (info.compression === config.compression) {
      await linkOrCopy(stored, temp);
      return info.rows;
    }
    // Stored with other settings than this writer's (never when the compiler chose it): encoded again.
    return withStepDuckDB(step, ctx, async (conn) => (await conn.run(`COPY (SELECT * FROM read_parquet(${sqlString(stored)})) TO ${sqlString(temp)} (${copyOptions})`)).rowsChanged);
  });
}

/** A second name for the file when both are on one file system (the workspace's copy is never written again), else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
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
  return writeAtomically(step, ctx, options, target, (temp) =>
    withStepInputs(step, ctx, async (conn) => {
      const result = await conn.run(`COPY (SELECT * FROM ${quoteIdent(input)}) TO ${sqlString(temp)} (${copyOptions})`);
      return result.rowsChanged;
    }),
  );
}

/** Has `write` fill a temp file next to `target` and renames it over the target; returns the rows written. */
async function writeAtomically(step: ManifestStep, ctx: RunContext, options: StepOptions, target: string, write: (temp: string) => Promise<number>): Promise<StepOutcome> {
  const file = await resolveOutputPath(ctx.outputDir, target, step.id);
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const rows = await write(temp);
    await rename(temp, file);
    options.onProgress?.({ stepId: step.id, rows });
    return { rows, outputs: [{ path: file, bytes: (await stat(file)).size }] };
  } finally {
    await rm(temp, { force: true });
  }
}
