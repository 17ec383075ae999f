import { readFile } from 'node:fs/promises';
import { OsirisError } from '../errors.js';
import { compileOml, type CompileResult } from '../oml/compile.js';
import type { ParamValue } from '../oml/manifest.js';
import { parseParamArgs } from '../oml/params.js';
import { decodeSourceText } from '../oml/source-text.js';
import { validateOml, type ValidationReport } from '../oml/validate.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { pipelineChecks } from './pipeline-checks.js';

export interface PipelineSource {
  file: string;
  text: string;
  params: Record<string, ParamValue>;
}

export async function readPipeline(file: string, paramArgs: string[] = []): Promise<PipelineSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (err as Error).message);
    throw new OsirisError('CONFIG_INVALID', `Cannot read ${file}: ${why}`, {
      hint: 'Pass the path of an OML file, e.g. examples/top-rated-movies.yaml.',
    });
  }
  const decoded = decodeSourceText(bytes);
  if ('problem' in decoded) {
    const { line, column, message, hint } = decoded.problem;
    throw new OsirisError('OML_INVALID', `${file}:${line}:${column}: ${message}`, { hint });
  }
  return { file, text: decoded.text, params: parseParamArgs(paramArgs) };
}

/** Validation with every rule: transform SQL through DuckDB's parser, input paths and connections of this project. */
export function validatePipeline(source: PipelineSource, config: ProjectConfig = loadProjectConfig()): Promise<ValidationReport> {
  return validateOml(source.text, { file: source.file, params: source.params, ...pipelineChecks(config) });
}

/** Compiles (warnings, e.g. a legacy-format upgrade, come with the result) or throws OmlInvalidError carrying every problem. */
export function compilePipeline(source: PipelineSource, config: ProjectConfig = loadProjectConfig()): Promise<CompileResult> {
  return compileOml(source.text, { file: source.file, params: source.params, ...pipelineChecks(config) });
}
