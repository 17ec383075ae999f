/**
 * The process sandbox backend's overhead against local execution, on the same machine in the same
 * process: the example pipeline's steps through each backend, interleaved, medians of N runs.
 *   npx tsx tests/support/sandbox-overhead.ts [runs=9]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createConnectionResolver } from '../../src/connections/resolver.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { compileOml } from '../../src/oml/compile.js';
import type { ExecutionBackend } from '../../src/runtime/backend.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import { createLocalBackend } from '../../src/runtime/local-backend.js';
import { packageRoot } from '../../src/package-root.js';
import { createSandboxProvider } from '../../src/runtime/sandbox/provider.js';
import { createSandboxBackend } from '../../src/runtime/sandbox/sandbox-backend.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { makeProject } from './project.js';
import { testRuntimeBundle } from './sandbox.js';

const runs = Number(process.argv[2] ?? 9);
const projectDir = makeProject({ 'osiris.yaml': 'e2b: { backend: process }\n' });
const config = loadProjectConfig(projectDir, {});
const { manifest } = await compileOml(readFileSync(path.join(packageRoot, 'examples', 'top-rated-movies.yaml'), 'utf8'), { params: {}, checkTransformSql });
const resolveConnection = createConnectionResolver(config);
const backends: Record<string, ExecutionBackend> = {
  local: createLocalBackend({ ...config, executeStep }),
  process: createSandboxBackend({ provider: createSandboxProvider(config), projectDir, outputDir: config.outputDir, runtimeBundle: await testRuntimeBundle() }),
};

/** One run as the workflow drives it: prepare, levels in parallel, cleanup. Times in ms. */
async function run(backend: ExecutionBackend, runId: string) {
  const t0 = performance.now();
  const workspace = await backend.prepare(runId);
  const prepared = performance.now();
  const steps: Record<string, number> = {};
  for (const level of manifest.levels) {
    await Promise.all(
      level.map(async (id) => {
        const started = performance.now();
        await backend.executeStep(manifest.steps.find((s) => s.id === id)!, workspace, { resolveConnection });
        steps[id] = performance.now() - started;
      }),
    );
  }
  const cleanupStart = performance.now();
  await backend.cleanup(workspace);
  const end = performance.now();
  return { total: end - t0, prepare: prepared - t0, cleanup: end - cleanupStart, steps };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, Awaited<ReturnType<typeof run>>[]> = { local: [], process: [] };
await run(backends.local!, 'warmup-local');
await run(backends.process!, 'warmup-process');
for (let i = 0; i < runs; i++) for (const [name, backend] of Object.entries(backends)) results[name]!.push(await run(backend, `${name}-${i}`));

const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
console.log(`median of ${runs} runs, ${manifest.steps.length} steps (${manifest.levels.length} levels), node ${process.version}`);
console.log(`${'step'.padEnd(16)} ${'local'.padStart(8)} ${'process'.padStart(8)} ${'overhead'.padStart(9)}`);
const rows = manifest.steps.map((s) => [s.id, median(results.local!.map((r) => r.steps[s.id]!)), median(results.process!.map((r) => r.steps[s.id]!))] as const);
for (const [id, local, proc] of rows) console.log(`${id.padEnd(16)} ${fmt(local)} ${fmt(proc)} ${fmt(proc - local)}`);
const perStep = median(rows.map(([, local, proc]) => proc - local));
for (const key of ['prepare', 'cleanup', 'total'] as const) {
  const local = median(results.local!.map((r) => r[key]));
  const proc = median(results.process!.map((r) => r[key]));
  console.log(`${`run ${key}`.padEnd(16)} ${fmt(local)} ${fmt(proc)} ${fmt(proc - local)}`);
}
console.log(`per-step overhead (median over steps): ${perStep.toFixed(0)} ms`);
