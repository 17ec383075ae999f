/**
 * One side of a bench pair, in its own process so its peak RSS is its own: runs `<family>.extractor`
 * on `SELECT * FROM t` and `filesystem.parquet_writer` on the result, through the runtime directly and
 * planned as the compiler plans them (the extractor stores the Parquet file, the writer copies it;
 * with `tablePath` in the request, through the extractor's DuckDB table instead), and prints {"ms", "cpuS"} (both steps, after the imports; cpuS: every thread of the process meanwhile). Usage: tsx bench/steps-child.ts <request.json>
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outputTableName, type ManifestStep } from '../src/oml/manifest.js';
import { getComponentSpec } from '../src/connectors/families.js';
import { planStoredOutputs } from '../src/oml/stored-outputs.js';
import { executeStep } from '../src/runtime/execute-step.js';
import { preloadDrivers } from '../src/runtime/preload-drivers.js';
import { createWorkspace } from '../src/dataplane/workspace.js';

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { family: 'mysql' | 'postgres'; values: Record<string, unknown>; rows: number; tablePath?: boolean };
const root = await mkdtemp(path.join(tmpdir(), 'osiris-bench-steps-'));
try {
  const ctx = {
    workspaceDir: await createWorkspace(root, 'run'),
    projectDir: root,
    outputDir: path.join(root, 'out'),
    resolveConnection: async () => ({ family: request.family, alias: 'bench', values: request.values }),
  };
  const step = (id: string, component: string, mode: ManifestStep['mode'], config: Record<string, unknown>, needs: string[] = []): ManifestStep =>
    ({ id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config });
  const steps = [
    step('extract', `${request.family}.extractor`, 'read', { connection: `@${request.family}.bench`, query: 'SELECT * FROM t' }),
    step('save', 'filesystem.parquet_writer', 'write', { path: 't.parquet', compression: 'snappy' }, ['extract']),
  ];
  // tablePath: as a pipeline with a transform in between would run them (the extractor writes its DuckDB table).
  if (!request.tablePath) planStoredOutputs(steps, new Map(steps.map((s) => [s.id, getComponentSpec(s.component)!])));
  // An exec worker has its drivers loaded before its steps run (`osiris run` preloads them).
  await preloadDrivers(steps.map((s) => s.component));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const extracted = await executeStep(steps[0]!, ctx);
  await executeStep(steps[1]!, ctx);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (extracted.rows !== request.rows) throw new Error(`extracted ${extracted.rows} rows, expected ${request.rows}`);
  // Every thread's CPU (DuckDB's and libuv's included) while the steps ran.
  console.log(JSON.stringify({ ms, cpuS: (used.user + used.system) / 1e6 }));
} finally {
  await rm(root, { recursive: true, force: true });
}
