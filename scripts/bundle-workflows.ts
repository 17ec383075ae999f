/**
 * Pre-bundles the workflow code at build time into dist/workflow-bundle.js so workers start
 * without running webpack (the bundle is what the built CLI's workers load).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const here = path.dirname(fileURLToPath(import.meta.url));
const distRoot = path.resolve(here, '..');
const { code } = await bundleWorkflowCode({
  workflowsPath: path.join(distRoot, 'src', 'workflows', 'index.js'),
  logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
});
await writeFile(path.join(distRoot, 'workflow-bundle.js'), code);
