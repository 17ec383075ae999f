import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from '@temporalio/worker';
import { packageRoot } from '../package-root.js';

/** Built code runs from dist/ (tsc's dist/src/ or the CLI bundle's dist/cli/); tsx and the tests from src/. */
const built = fileURLToPath(import.meta.url).startsWith(path.join(packageRoot, 'dist') + path.sep);

/**
 * The built package ships a pre-bundled workflow file (no webpack at worker start: faster, and the
 * same code everywhere). Running from source (tsx, tests) bundles `src/workflows` on the fly.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = path.join(packageRoot, 'dist', 'workflow-bundle.js');
  if (built && existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  return { workflowsPath: built ? path.join(packageRoot, 'dist', 'src', 'workflows', 'index.js') : path.join(packageRoot, 'src', 'workflows', 'index.ts') };
}
