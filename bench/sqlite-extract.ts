/**
 * Times sqlite.extractor on a generated table (default 1M rows x 10 columns), split into SQLite
 * decoding alone and the full step (decode + DuckDB append + checkpoint). Usage: tsx bench/sqlite-extract.ts [rows]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { outputTableName } from '../src/oml/manifest.js';
import { executeStep } from '../src/runtime/execute-step.js';
import { createWorkspace } from '../src/dataplane/workspace.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const root = await mkdtemp(path.join(tmpdir(), 'osiris-bench-'));
try {
  const file = path.join(root, 'bench.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER, d INTEGER, e INTEGER, f TEXT, g TEXT, h TEXT, i REAL, j REAL);
    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows})
    INSERT INTO t SELECT x, x * 7, x % 100, x * 3, 5, 'name ' || x, 'city ' || (x % 1000), 'comment number ' || x, x * 1.5, x / 3.0 FROM n;`);
  db.close();

  const read = new Database(file, { readonly: true });
  read.defaultSafeIntegers(true);
  let started = performance.now();
  let count = 0;
  for (const row of read.prepare('SELECT * FROM t').raw(true).iterate()) count += row === undefined ? 0 : 1;
  read.close();
  console.log(`better-sqlite3 iterate only: ${count} rows in ${(performance.now() - started).toFixed(0)} ms`);

  const ctx = {
    workspaceDir: await createWorkspace(root, 'run'),
    projectDir: root,
    outputDir: path.join(root, 'out'),
    resolveConnection: async () => ({ family: 'sqlite', alias: 'bench', values: { path: file } }),
  };
  for (const batchSize of [2_048, 10_000, 100_000]) {
    const id = `extract-${batchSize}`;
    started = performance.now();
    const result = await executeStep(
      { id, component: 'sqlite.extractor', component_version: '1.0.0', mode: 'read', needs: [], output_table: outputTableName(id), config: { connection: '@sqlite.bench', table: 't', batch_size: batchSize } },
      ctx,
    );
    console.log(`sqlite.extractor batch_size=${batchSize}: ${result.rows} rows in ${(performance.now() - started).toFixed(0)} ms`);
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
