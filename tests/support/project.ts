import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProjectConfig } from '../../src/config/project-config.js';

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

/** The config a worker needs, pointing at a project directory and a given server. */
export function testConfig(projectDir: string, address: string): ProjectConfig {
  return {
    version: 1,
    llm: { provider: 'offline', fallback_models: [], prompt_token_budget: 6000 },
    agent: { connection: '@sqlite.demo', sample_size: 10, max_steps_per_turn: 12 },
    execution: { target: 'local', output_dir: 'output' },
    e2b: { backend: 'process', template: 'osiris-runtime', timeout_ms: 3_600_000, cpu: 2, memory_mb: 2048 },
    temporal: { address, namespace: 'default', port: 7233, ui_port: 8233 },
    projectDir,
    stateDir: path.join(projectDir, '.osiris'),
    outputDir: path.join(projectDir, 'output'),
    temporalAddress: address,
    embedded: false,
    temporalTarget: { address, namespace: 'default' },
  };
}
