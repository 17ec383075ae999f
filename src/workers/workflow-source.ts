import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from '@temporalio/worker';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The built package ships a pre-bundled workflow file (no webpack at worker start: faster, and the
 * same code everywhere). Running from source (tsx, tests) bundles `src/workflows` on the fly.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = path.resolve(here, '..', '..', 'workflow-bundle.js');
  if (existsSync(prebuilt) && here.includes(`${path.sep}dist${path.sep}`)) return { workflowBundle: { codePath: prebuilt } };
  const ext = path.extname(fileURLToPath(import.meta.url));
  return { workflowsPath: path.resolve(here, '..', 'workflows', `index${ext}`) };
}
