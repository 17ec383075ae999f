import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { OsirisError } from '../errors.js';
import type { StoredOutput } from '../oml/manifest.js';

/** Creates `<baseDir>/<runId>/steps/` and returns the workspace directory. Idempotent, so a retried prepare is harmless. */
export async function createWorkspace(baseDir: string, runId: string): Promise<string> {
  const dir = path.join(path.resolve(baseDir), safeName(runId, 'run id'));
  await mkdir(path.join(dir, 'steps'), { recursive: true });
  return dir;
}

export async function removeWorkspace(workspaceDir: string): Promise<void> {
  await rm(workspaceDir, { recursive: true, force: true });
}

/** The DuckDB file holding step `stepId`'s output table. */
export function stepFile(workspaceDir: string, stepId: string): string {
  return path.join(workspaceDir, 'steps', `${safeName(stepId, 'step id')}.duckdb`);
}

/** The file a step that stores its output directly (`ManifestStep.stored_as`) leaves instead of its DuckDB file. */
export function storedOutputFile(workspaceDir: string, stepId: string, format: StoredOutput['format']): string {
  return path.join(workspaceDir, 'steps', `${safeName(stepId, 'step id')}.${format}`);
}

// Ids become file names: refuse anything that could point elsewhere.
function safeName(name: string, what: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0')) {
    throw new OsirisError('CONFIG_INVALID', `Invalid ${what} "${name}": it is used as a file name`, {
      hint: `Use letters, digits, "-" and "_" in the ${what}.`,
    });
  }
  return name;
}
