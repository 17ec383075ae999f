/**
 * The runtime side of the step-overhead figure, in its own process: compiles an OML file and runs its
 * steps level by level through the local backend and `executeStep` (what an exec worker's activity
 * calls), without Temporal. Prints {"ms": ...} for the steps alone (compile and imports excluded).
 * Usage: tsx bench/pipeline-child.ts <project dir> <pipeline.yaml>
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadProjectConfig } from '../src/config/project-config.js';
import { createConnectionResolver } from '../src/connections/resolver.js';
import { compilePipeline, readPipeline } from '../src/client/load-pipeline.js';
import { executeStep } from '../src/runtime/execute-step.js';
import { createLocalBackend } from '../src/runtime/local-backend.js';

const [projectDir, file] = process.argv.slice(2) as [string, string];
const config = loadProjectConfig(projectDir);
const { manifest } = await compilePipeline(await readPipeline(path.resolve(projectDir, file)), config);
const backend = createLocalBackend({ ...config, executeStep });
const resolveConnection = createConnectionResolver(config);
const runId = `bench-direct-${process.pid}`;
const started = performance.now();
const workspace = await backend.prepare(runId);
try {
  for (const level of manifest.levels) {
    await Promise.all(level.map((id) => backend.executeStep(manifest.steps.find((s) => s.id === id)!, workspace, { resolveConnection })));
  }
} finally {
  await backend.cleanup(workspace);
}
console.log(JSON.stringify({ ms: performance.now() - started }));
await rm(path.join(config.stateDir, 'workspaces', runId), { recursive: true, force: true });
