import path from 'node:path';
import type { ProjectConfig } from '../../config/project-config.js';
import { packageRoot } from '../../package-root.js';
import { createE2bSandboxProvider } from './e2b-sandbox.js';
import { createProcessSandboxProvider } from './process-sandbox.js';
import type { SandboxLimits, SandboxProvider } from './sandbox.js';

/** Built by `npm run build` (scripts/bundle-runtime.ts). */
export const DEFAULT_RUNTIME_BUNDLE = path.join(packageRoot, 'dist', 'sandbox-runtime.mjs');

export function sandboxLimits(config: Pick<ProjectConfig, 'e2b'>): SandboxLimits {
  return { timeoutMs: config.e2b.timeout_ms, cpu: config.e2b.cpu, memoryMb: config.e2b.memory_mb };
}

/** The sandbox implementation `e2b.backend` asks for. */
export function createSandboxProvider(config: Pick<ProjectConfig, 'e2b' | 'stateDir'>, env: NodeJS.ProcessEnv = process.env): SandboxProvider {
  const limits = sandboxLimits(config);
  if (config.e2b.backend === 'process') {
    return createProcessSandboxProvider({ baseDir: path.join(config.stateDir, 'sandboxes'), nodeModulesDir: path.join(packageRoot, 'node_modules'), limits });
  }
  return createE2bSandboxProvider({ template: config.e2b.template, limits, connection: { apiKey: env.E2B_API_KEY } });
}
