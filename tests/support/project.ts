import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectConfig, type ProjectConfig } from '../../src/config/project-config.js';

/** A throwaway project directory with optional osiris.yaml / osiris_connections.yaml contents. */
export function makeProject(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-project-'));
  writeProjectFiles(dir, files);
  return dir;
}

export function writeProjectFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

/**
 * The config a worker needs, read by the real loader from the project (its osiris.yaml, if any),
 * pointed at a given server the way a user does it: TEMPORAL_ADDRESS.
 */
export function testConfig(projectDir: string, address: string): ProjectConfig {
  return loadProjectConfig(projectDir, { TEMPORAL_ADDRESS: address });
}

/** The shipped example pipeline, copied to `examples/top-rated-movies.yaml` of a test project. */
export function copyExample(projectDir: string): void {
  const repoRoot = path.resolve(import.meta.dirname, '..', '..');
  writeProjectFiles(projectDir, { 'examples/top-rated-movies.yaml': readFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml'), 'utf8') });
}
