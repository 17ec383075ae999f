/**
 * One side of a bench pair, in its own process so its peak RSS is its own: runs `<family>.extractor`
 * on `SELECT * FROM t` and `filesystem.parquet_writer` on the result, through the runtime directly,
 * and prints {"ms": ...} (both steps, after the imports). Usage: tsx bench/steps-child.ts <request.json>
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outputTableName, type ManifestStep } from '../src/oml/manifest.js';
import { executeStep } from '../src/runtime/execute-step.js';
import { createWorkspace } from '../src/dataplane/workspace.js';

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { family: 'mysql' | 'postgres'; values: Record<string, unknown>; rows: number };
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
  const started = performance.now();
  const extracted = await executeStep(step('extract', `${request.family}.extractor`, 'read', { connection: `@${request.family}.bench`, query: 'SELECT * FROM t' }), ctx);
  await executeStep(step('save', 'filesystem.parquet_writer', 'write', { path: 't.parquet' }, ['extract']), ctx);
  const ms = performance.now() - started;
  if (extracted.rows !== request.rows) throw new Error(`extracted ${extracted.rows} rows, expected ${request.rows}`);
  console.log(JSON.stringify({ ms }));
} finally {
  await rm(root, { recursive: true, force: true });
}
