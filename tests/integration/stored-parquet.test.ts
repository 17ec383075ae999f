import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { DuckDBInstance } from '@duckdb/node-api';
import { getComponentSpec } from '../../src/connectors/families.js';
import type { StepProgress, RunSetup } from '../../src/dataplane/step-contract.js';
import { createWorkspace, stepFile, storedOutputFile } from '../../src/dataplane/workspace.js';
import { OsirisError } from '../../src/errors.js';
import type { ManifestStep } from '../../src/oml/manifest.js';
import { planStoredOutputs } from '../../src/oml/stored-outputs.js';
import { previewPipeline } from '../../src/agent/preview-pipeline.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { connectorRun, makeStep, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { rejection } from '../support/rejection.js';

/**
 * An extractor whose only reader is a Parquet writer stores its rows as that Parquet file (`stored_as`),
 * and the writer copies it. The file must hold exactly what the table path writes: same column types,
 * same rows, whatever the text holds; a failure at any point leaves no output behind.
 */

/** An extractor and the Parquet writer reading it, planned as the compiler plans them unless `table`. */
function pipeline(family: 'mysql' | 'postgres', id: string, source: Record<string, unknown>, options: { table?: boolean; compression?: string } = {}): [ManifestStep, ManifestStep] {
  const extract = makeStep(id, `${family}.extractor`, 'read', { connection: `@${family}.test`, ...source });
  const write = makeStep(`${id}-save`, 'filesystem.parquet_writer', 'write', { path: `${id}${options.table ? '-table' : ''}.parquet`, compression: options.compression ?? 'snappy' }, [id]);
  if (!options.table) planStoredOutputs([extract, write], new Map([extract, write].map((step) => [step.id, getComponentSpec(step.component)!])));
  return [extract, write];
}

async function runBoth(ctx: RunSetup, steps: [ManifestStep, ManifestStep]): Promise<{ extracted: number; written: number; file: string }> {
  const extracted = (await executeStep(steps[0], ctx)).rows;
  const result = await executeStep(steps[1], ctx);
  return { extracted, written: result.rows, file: result.outputs[0]!.path };
}

async function duck<T>(fn: (run: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The stored file and the table path's file hold the same columns, types and rows (as multisets), with the codec asked for. */
async function assertSameParquet(stored: string, table: string, rows: number, compression: string): Promise<void> {
  await duck(async (run) => {
    const columns = async (file: string) => (await run(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).map((c) => `${String(c.column_name)} ${String(c.column_type)}`);
    assert.deepEqual(await columns(stored), await columns(table));
    for (const [a, b] of [[stored, table], [table, stored]] as const) {
      const [diff] = await run(`SELECT count(*)::INT AS n FROM (SELECT * FROM read_parquet('${a}') EXCEPT ALL SELECT * FROM read_parquet('${b}'))`);
      assert.equal(diff!.n, 0, `rows of ${path.basename(a)} missing from ${path.basename(b)}`);
    }
    const [count] = await run(`SELECT count(*)::INT AS n FROM read_parquet('${stored}')`);
    assert.equal(count!.n, rows);
    const codecs = await run(`SELECT DISTINCT compression FROM parquet_metadata('${stored}')`);
    if (rows > 0) assert.deepEqual(codecs.map((c) => c.compression), [compression.toUpperCase()]);
  });
}

const stepFiles = async (ctx: RunSetup) => (await readdir(path.join(ctx.workspaceDir, 'steps'))).sort();

describe('an extractor storing its rows as the Parquet file its writer writes', async () => {
  let mariadb: TestMariadb;
  let postgres: TestPostgres;
  let ctx: RunSetup;
  let cleanup: () => Promise<void>;
  let runs = 0;
  const fresh = async (): Promise<RunSetup> => ({ ...ctx, workspaceDir: await createWorkspace(path.join(ctx.projectDir, 'runs'), `run-${++runs}`) });

  before(async () => {
    [mariadb, postgres] = await Promise.all([startTestMariadb(), startTestPostgres()]);
    await mariadb.query('CREATE DATABASE app CHARACTER SET utf8mb4');
    ({ ctx, cleanup } = await connectorRun({
      '@mysql.test': { family: 'mysql', alias: 'test', values: mariadb.values('app') },
      '@postgres.test': { family: 'postgres', alias: 'test', values: { url: postgres.url } },
    }));
    // Text that CSV must quote, and values of every kind, in enough rows for many parts.
    await mariadb.query(
      `CREATE TABLE tricky (id INT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, amount DECIMAL(30,10), wide DECIMAL(50,5), dt DATETIME(6), d DATE, j JSON, b BLOB,
         f DOUBLE, txt MEDIUMTEXT, t TIME, e ENUM('x','y'));
       INSERT INTO tricky SELECT seq, CAST(seq AS SIGNED) * 1000003 - 9000000000000000000, 18446744073709551615 - seq, seq / 7, seq * 1e40 + 0.5, '2024-02-29 23:59:59.123456' + INTERVAL seq SECOND,
         '1000-01-01' + INTERVAL seq DAY, JSON_OBJECT('n', seq, 's', CONCAT('q"', seq)), UNHEX(LPAD(HEX(seq), 8, '0')), seq / 3,
         ELT(1 + seq % 7, CONCAT('comma, ', seq), CONCAT('quote "', seq, '" end'), CONCAT('line\\nbreak ', seq), CONCAT('cr\\r', seq), CONCAT(CHAR(0xEF, 0xBB, 0xBF USING utf8mb4), 'bom ', seq), '', NULL),
         SEC_TO_TIME(seq % 86400), IF(seq % 2 = 0, 'x', 'y') FROM seq_1_to_30000;
       INSERT INTO tricky (id, txt) VALUES (30001, CONCAT('emoji 🎬 ünïcode 漢字 ', REPEAT('long ', 20000)));`,
      [],
      'app',
    );
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`CREATE TABLE tricky (id integer PRIMARY KEY, amount numeric(30,10), free numeric, ts timestamptz, day date, doc jsonb, uid uuid, tags text[], label text, flag boolean, ratio double precision, raw bytea);
      INSERT INTO tricky SELECT i, i / 7.0, i * 1.5, timestamptz '2024-02-29 23:59:59.123456+05:30' + i * interval '1 second', date '2024-01-01' + i, jsonb_build_object('n', i, 'q', 'a"b'),
        md5(i::text)::uuid, ARRAY['a b', 'c,d', 'quote"' || i, NULL], (ARRAY['comma, x', 'quote "y"', E'line\\nbreak', E'cr\\r', '', NULL])[1 + i % 6], i % 2 = 0, i / 3.0, decode(lpad(to_hex(i), 8, '0'), 'hex')
      FROM generate_series(1, 30000) AS i`);
    await client.end();
  });
  after(async () => {
    await Promise.all([mariadb?.stop(), postgres?.stop()]);
    await cleanup?.();
  });

  for (const family of ['mysql', 'postgres'] as const) {
    it(`${family}: the stored file holds what the table path writes, and the writer copies it`, async () => {
      // A column name that needs quoting everywhere it goes.
      const odd = family === 'mysql' ? '`Ünï "quoted", name`' : '"Ünï ""quoted"", name"';
      const source = { query: `SELECT *, id AS ${odd} FROM tricky`, batch_size: 700 };
      const run = await fresh();
      const stored = pipeline(family, 'tricky', source);
      assert.deepEqual(stored[0].stored_as, { format: 'parquet', compression: 'snappy' });
      const progress: StepProgress[] = [];
      assert.equal((await executeStep(stored[0], run, { onProgress: (p) => void progress.push(p) })).rows, family === 'mysql' ? 30001 : 30000);
      assert.ok(progress.length > 10 && progress.every((p, i) => i === 0 || p.rows > progress[i - 1]!.rows), 'progress grows part by part');
      // No step table: the extractor's output is the Parquet file itself.
      assert.deepEqual(await stepFiles(run), ['tricky.parquet', 'tricky.parquet.json']);
      const copied = await executeStep(stored[1], run);
      const table = await runBoth(run, pipeline(family, 'plain', source, { table: true }));
      assert.equal(copied.rows, table.extracted);
      assert.equal(table.written, table.extracted);
      await assertSameParquet(copied.outputs[0]!.path, table.file, table.extracted, 'snappy');
    });
  }

  it('another codec, no rows, and a preview (which never stores a file) all behave', async () => {
    const run = await fresh();
    const zstd = await runBoth(run, pipeline('postgres', 'z', { query: 'SELECT id, label FROM tricky WHERE id <= 5000' }, { compression: 'zstd' }));
    assert.deepEqual([zstd.extracted, zstd.written], [5000, 5000]);
    const plainZstd = await runBoth(run, pipeline('postgres', 'zt', { query: 'SELECT id, label FROM tricky WHERE id <= 5000' }, { compression: 'zstd', table: true }));
    await assertSameParquet(zstd.file, plainZstd.file, 5000, 'zstd');

    const none = await runBoth(run, pipeline('mysql', 'none', { query: 'SELECT id, amount, dt FROM tricky WHERE id < 0' }));
    assert.deepEqual([none.extracted, none.written], [0, 0]);
    await duck(async (sql) => {
      const columns = await sql(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${none.file}'))`);
      assert.deepEqual(columns.map((c) => `${String(c.column_name)} ${String(c.column_type)}`), ['id BIGINT', 'amount DECIMAL(30,10)', 'dt TIMESTAMP']);
    });

    // Two columns of one name: refused before any row moves, whichever path was planned, saying what to change.
    for (const [family, query] of [['mysql', 'SELECT id, id AS ID FROM tricky'], ['postgres', 'SELECT id, label AS "ID" FROM tricky']] as const) {
      for (const table of [false, true]) {
        const refused = await rejection(executeStep(pipeline(family, 'twice', { query }, { table })[0], run));
        assert.equal(refused.code, 'SQL_ERROR');
        assert.match(refused.message, /Step "twice": the source returns two columns named "id" and "ID" \(names ignore case\)/);
        assert.match(refused.hint ?? '', /AS order_id/);
      }
    }
    assert.deepEqual((await stepFiles(run)).filter((file) => file.startsWith('twice')), []);

    const [extract, write] = pipeline('mysql', 'sample', { table: 'tricky', columns: ['id', 'e'] });
    const preview = await previewPipeline({ manifest_version: '1', pipeline: { name: 'p', oml_version: '0.1.0' }, params: {}, steps: [extract, write], levels: [['sample'], ['sample-save']] }, 3, {
      projectDir: ctx.projectDir,
      resolveConnection: ctx.resolveConnection,
      executeStep,
    });
    assert.deepEqual(preview?.rows.rows.slice(0, 3), [['1', 'y'], ['2', 'x'], ['3', 'y']]);
  });

  it('a failure while the rows stream in (source, progress, cancel) leaves no output, a row too long to stream reads the source again, and the rerun writes every row once', async () => {
    const run = await fresh();
    const [extract, write] = pipeline('mysql', 'fail', { query: 'SELECT * FROM tricky WHERE id <= 30000', batch_size: 500 });
    const failAt = (p: StepProgress) => {
      if (p.rows >= 5000) throw new OsirisError('TRANSIENT', 'injected failure', { hint: 'retried', retryable: true });
    };
    assert.equal((await rejection(executeStep(extract, run, { onProgress: failAt }))).code, 'TRANSIENT');
    assert.deepEqual(await stepFiles(run), [], 'no stored file, temp file or pipe left behind');

    const abort = new AbortController();
    const cancelled = await executeStep(extract, run, { signal: abort.signal, onProgress: (p) => void (p.rows >= 2000 && abort.abort(new Error('cancelled by test'))) }).then(
      () => assert.fail('expected a cancellation'),
      (err: unknown) => err,
    );
    assert.match(String(cancelled), /cancelled by test/);
    assert.deepEqual(await stepFiles(run), []);

    // PostgreSQL stops mid-result with an error of its own (a division by zero at row 20000).
    const [broken] = pipeline('postgres', 'broken', { query: 'SELECT id, 1 / (20000 - id) AS x FROM tricky', batch_size: 500 });
    const failed = await rejection(executeStep(broken, run));
    assert.match(failed.message, /division by zero/);
    assert.deepEqual(await stepFiles(run), []);

    // A row longer than a streamed row may be: the step reads its source again into a table, and the writer encodes the file.
    await mariadb.query(`CREATE TABLE huge (id INT, body LONGTEXT); INSERT INTO huge VALUES (1, 'small'), (2, REPEAT('x', 9 * 1024 * 1024)), (3, 'after')`, [], 'app');
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`CREATE TABLE huge AS SELECT * FROM (VALUES (1, 'small'), (2, repeat('x', 9 * 1024 * 1024)), (3, 'after')) AS v(id, body)`);
    await client.end();
    for (const family of ['mysql', 'postgres'] as const) {
      const id = `huge-${family}`;
      const long = pipeline(family, id, { query: 'SELECT * FROM huge ORDER BY id', batch_size: 1 });
      const progress: number[] = [];
      assert.equal((await executeStep(long[0], run, { onProgress: (p) => void progress.push(p.rows) })).rows, 3);
      assert.deepEqual(progress, [1, 1, 2, 3], 'the stream stopped at the long row, and the source was read again from the start');
      assert.ok((await stepFiles(run)).includes(`${id}.duckdb`), 'a step table instead of a stored file');
      assert.ok(!(await stepFiles(run)).some((file) => file.startsWith(`${id}.parquet`)));
      const saved = await executeStep(long[1], run);
      assert.equal(saved.rows, 3);
      await duck(async (sql) => assert.deepEqual(await sql(`SELECT id::INT AS id, length(body)::INT AS n FROM read_parquet('${saved.outputs[0]!.path}') ORDER BY id`), [{ id: 1, n: 5 }, { id: 2, n: 9 * 1024 * 1024 }, { id: 3, n: 5 }]));
    }
    for (const family of ['mysql', 'postgres']) await rm(path.join(run.workspaceDir, 'steps', `huge-${family}.duckdb`));

    const again = await runBoth(run, [extract, write]);
    assert.deepEqual([again.extracted, again.written], [30000, 30000]);
    await duck(async (sql) => assert.deepEqual(await sql(`SELECT count(DISTINCT id)::INT AS d, min(id)::INT AS lo, max(id)::INT AS hi FROM read_parquet('${again.file}')`), [{ d: 30000, lo: 1, hi: 30000 }]));
    assert.deepEqual(await stepFiles(run), ['fail.parquet', 'fail.parquet.json']);
    assert.ok(!(await readdir(path.dirname(again.file))).some((f) => f.endsWith('.tmp')), 'no temp file beside the output');
  });

  it('a writer whose input was stored with another codec, or was not stored at all, still writes what it is asked for', async () => {
    const run = await fresh();
    const [extract] = pipeline('postgres', 'other', { query: 'SELECT id, label FROM tricky WHERE id <= 100' }, { compression: 'gzip' });
    await executeStep(extract, run);
    assert.equal(storedOutputFile(run.workspaceDir, 'other', 'parquet'), path.join(run.workspaceDir, 'steps', 'other.parquet'));
    const write = makeStep('other-save', 'filesystem.parquet_writer', 'write', { path: 'other.parquet', compression: 'zstd' }, ['other']);
    const written = await executeStep(write, run);
    assert.equal(written.rows, 100);
    await duck(async (sql) => assert.deepEqual(await sql(`SELECT DISTINCT compression FROM parquet_metadata('${written.outputs[0]!.path}')`), [{ compression: 'ZSTD' }]));

    // An extractor that ignores the plan (or an old run's) leaves a table, which the writer reads as before.
    const [plain, plainWrite] = pipeline('mysql', 'plain', { query: 'SELECT id FROM tricky WHERE id <= 10' }, { table: true });
    await executeStep(plain, run);
    assert.ok((await stepFiles(run)).includes(path.basename(stepFile(run.workspaceDir, 'plain'))));
    assert.equal((await executeStep({ ...plainWrite, needs: ['plain'] }, run)).rows, 10);
  });
});
