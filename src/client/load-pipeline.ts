import { readFile } from 'node:fs/promises';
import { OsirisError } from '../errors.js';
import { compileOml, type CompileResult } from '../oml/compile.js';
import type { ParamValue } from '../oml/manifest.js';
import { parseParamArgs } from '../oml/params.js';
import { validateOml, type ValidationReport } from '../oml/validate.js';
import { checkTransformSql } from '../dataplane/sql-guard.js';

export interface PipelineSource {
  file: string;
  text: string;
  params: Record<string, ParamValue>;
}

export async function readPipeline(file: string, paramArgs: string[] = []): Promise<PipelineSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OsirisError('CONFIG_INVALID', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'Pass the path of an OML file, e.g. examples/top-rated-movies.yaml.',
    });
  }
  return { file, text, params: parseParamArgs(paramArgs) };
}

/** Validation with every rule, including the DuckDB-parser check of transform SQL. */
export function validatePipeline(source: PipelineSource): Promise<ValidationReport> {
  return validateOml(source.text, { file: source.file, params: source.params, checkTransformSql });
}

/** Compiles (warnings, e.g. a legacy-format upgrade, come with the result) or throws OmlInvalidError carrying every problem. */
export function compilePipeline(source: PipelineSource): Promise<CompileResult> {
  return compileOml(source.text, { file: source.file, params: source.params, checkTransformSql });
}
