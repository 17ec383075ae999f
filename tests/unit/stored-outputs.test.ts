import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CsvPart } from '../../src/dataplane/csv-load.js';
import { produceCsvStepOutput } from '../../src/dataplane/csv-step-output.js';
import { createWorkspace } from '../../src/dataplane/workspace.js';
import { compileOml } from '../../src/oml/index.js';
import { outputTableName, type ManifestStep } from '../../src/oml/manifest.js';

const step = (id: string, component: string, mode: string, needs: string[], config: string) =>
  `  - { id: ${id}, component: ${component}, mode: ${mode}, needs: [${needs.join(', ')}], config: ${config} }\n`;
const oml = (steps: string) => `oml_version: "0.1.0"\nname: stored\nsteps:\n${steps}`;
const mysql = (id: string) => step(id, 'mysql.extractor', 'read', [], '{ connection: "@mysql.db", table: t }');
const parquet = (id: string, need: string, extra = '') => step(id, 'filesystem.parquet_writer', 'write', [need], `{ path: out/${id}.parquet${extra} }`);

async function storedAs(text: string): Promise<Record<string, unknown>> {
  const { manifest } = await compileOml(text);
  return Object.fromEntries(manifest.steps.filter((s) => s.stored_as !== undefined).map((s) => [s.id, s.stored_as]));
}

describe('the compiler plans stored outputs', () => {
  it('an extractor read only by a Parquet writer stores that writer file, with its codec', async () => {
    assert.deepEqual(await storedAs(oml(mysql('a') + parquet('w', 'a'))), { a: { format: 'parquet', compression: 'snappy' } });
    assert.deepEqual(await storedAs(oml(step('p', 'postgres.extractor', 'read', [], '{ connection: "@postgres.db", table: t }') + parquet('w', 'p', ', compression: zstd'))), {
      p: { format: 'parquet', compression: 'zstd' },
    });
  });

  it('any other reader, a second reader, or an extractor that cannot store keeps the DuckDB table', async () => {
    assert.deepEqual(await storedAs(oml(mysql('a') + parquet('w1', 'a') + parquet('w2', 'a'))), {}, 'two readers');
    assert.deepEqual(await storedAs(oml(mysql('a') + step('w', 'filesystem.csv_writer', 'write', ['a'], '{ path: out/a.csv }'))), {}, 'a CSV writer');
    assert.deepEqual(await storedAs(oml(mysql('a') + step('x', 'duckdb.processor', 'transform', ['a'], '{ query: "SELECT * FROM df_a" }') + parquet('w', 'x'))), {}, 'a transform');
    assert.deepEqual(await storedAs(oml(step('s', 'sqlite.extractor', 'read', [], '{ connection: "@sqlite.demo", table: t }') + parquet('w', 's'))), {}, 'sqlite rows are not CSV');
    assert.deepEqual(await storedAs(oml(step('s', 'supabase.extractor', 'read', [], '{ connection: "@supabase.db", table: t }') + parquet('w', 's'))), {}, 'supabase may read over REST');
    assert.deepEqual(await storedAs(oml(mysql('a'))), {}, 'no reader');
  });
});

describe('streaming CSV into a stored Parquet file', () => {
  it("a value the reader cannot convert fails the step with the reader's own error, and leaves nothing", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'osiris-stored-'));
    try {
      const workspaceDir = await createWorkspace(root, 'run');
      const manifestStep: ManifestStep = { id: 'x', component: 'mysql.extractor', component_version: '1.0.0', mode: 'read', needs: [], output_table: outputTableName('x'), config: {}, stored_as: { format: 'parquet', compression: 'snappy' } };
      const good = Buffer.from('1\n'.repeat(100_000));
      // The bad row comes early and megabytes follow, so the reader stops while rows are still being sent.
      async function* parts(): AsyncGenerator<CsvPart> {
        yield { bytes: Buffer.from('1\n2\nnot a number\n'), rows: 3, longestRow: 13 };
        for (let i = 0; i < 100; i++) yield { bytes: good, rows: 100_000, longestRow: 2 };
      }
      const failure = await produceCsvStepOutput(manifestStep, { workspaceDir, projectDir: root, outputDir: root, connections: new Map() }, { columns: Promise.resolve([{ name: 'n', type: 'BIGINT' }]), parts }, {}).then(
        () => assert.fail('expected a failure'),
        (err: unknown) => err,
      );
      assert.match(String(failure), /Could not convert string "not a number" to 'BIGINT'/);
      assert.deepEqual(await readdir(path.join(workspaceDir, 'steps')), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
