/**
 * mysql.extractor + filesystem.parquet_writer against the raw `mariadb --quick` client streaming the
 * same query to /dev/null, on a generated table (default 1M rows x 10 mixed columns) in a MariaDB this
 * script starts and stops itself. Prints rows/s of both, their ratio and the Osiris process's peak RSS.
 * Usage: npx tsx bench/mysql-extract.ts [rows]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outputTableName, type ManifestStep } from '../src/oml/manifest.js';
import { executeStep } from '../src/runtime/execute-step.js';
import { createWorkspace } from '../src/dataplane/workspace.js';
import { createMixedTable, startTestMariadb } from '../tests/support/mariadb.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const QUERY = 'SELECT * FROM t';
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

const server = await startTestMariadb();
const root = await mkdtemp(path.join(tmpdir(), 'osiris-bench-mysql-'));
try {
  await createMixedTable(server, 'bench', 't', rows);

  let started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const client = spawn('mariadb', [...server.clientArgs('bench'), '--quick', '--batch', '--skip-column-names', '-e', QUERY], { stdio: ['ignore', 'ignore', 'inherit'] });
    client.on('error', reject);
    client.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb exited with ${code}`))));
  });
  const clientMs = performance.now() - started;

  const ctx = {
    workspaceDir: await createWorkspace(root, 'run'),
    projectDir: root,
    outputDir: path.join(root, 'out'),
    resolveConnection: async () => ({ family: 'mysql', alias: 'bench', values: server.values('bench') }),
  };
  const step = (id: string, component: string, mode: ManifestStep['mode'], config: Record<string, unknown>, needs: string[] = []): ManifestStep =>
    ({ id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  started = performance.now();
  const extracted = await executeStep(step('extract', 'mysql.extractor', 'read', { connection: '@mysql.bench', query: QUERY }), ctx);
  const extractMs = performance.now() - started;
  const extractPeakRss = peakRss;
  await executeStep(step('save', 'filesystem.parquet_writer', 'write', { path: 't.parquet' }, ['extract']), ctx);
  const osirisMs = performance.now() - started;
  clearInterval(sampler);

  console.log(`rows: ${extracted.rows}`);
  console.log(`mariadb --quick > /dev/null:        ${rate(rows, clientMs).toLocaleString('en')} rows/s (${clientMs.toFixed(0)} ms)`);
  console.log(`osiris mysql.extractor:             ${rate(rows, extractMs).toLocaleString('en')} rows/s (${extractMs.toFixed(0)} ms)`);
  console.log(`osiris extractor + parquet_writer:  ${rate(rows, osirisMs).toLocaleString('en')} rows/s (${osirisMs.toFixed(0)} ms)`);
  console.log(`ratio osiris / mariadb client:      ${(clientMs / osirisMs).toFixed(2)} (1.00 = as fast as the client)`);
  console.log(`peak RSS of the osiris process:     ${(peakRss / 1e6).toFixed(0)} MB (${(extractPeakRss / 1e6).toFixed(0)} MB during the extractor)`);
} finally {
  await rm(root, { recursive: true, force: true });
  await server.stop();
}
