import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { OsirisError } from '../../src/errors.js';
import { outputTableName, type ManifestStep, type StepMode } from '../../src/oml/manifest.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup, StepProgress } from '../../src/dataplane/step-contract.js';
import { createWorkspace, removeWorkspace, stepFile } from '../../src/dataplane/workspace.js';
interface TestRun {
  ctx: RunSetup;
  demoDb: string;
  localDb: string;
  cleanup(): Promise<void>;
}

/** A project dir with the demo DB, an output dir and a fresh run workspace; `@sqlite.demo` and `@sqlite.local` resolve. */
async function createTestRun(): Promise<TestRun> {
  const root = await mkdtemp(path.join(tmpdir(), 'osiris-runtime-'));
  const demoDb = await ensureDemoDatabase(path.join(root, 'project', 'data'));
  const localDb = path.join(root, 'project', 'local', 'out.sqlite');
  const paths: Record<string, string> = { '@sqlite.demo': demoDb, '@sqlite.local': localDb };
  const ctx: RunSetup = {
    workspaceDir: await createWorkspace(path.join(root, 'runs'), 'run-1'),
    projectDir: path.join(root, 'project'),
    outputDir: path.join(root, 'output'),
    resolveConnection: async (ref) => {
      const file = paths[ref];
      if (file === undefined) throw new OsirisError('CONNECTION_NOT_FOUND', `No connection ${ref}`, { hint: 'Use @sqlite.demo or @sqlite.local.' });
      const [family, alias] = ref.slice(1).split('.') as [string, string];
      return { family, alias, values: { path: file } };
    },
  };
  return {
    ctx,
    demoDb,
    localDb,
    cleanup: async () => {
      await removeWorkspace(ctx.workspaceDir);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A compiled step as the compiler would emit it (config with defaults already filled in). */
function step(id: string, component: string, mode: StepMode, config: Record<string, unknown>, needs: string[] = []): ManifestStep {
  return { id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config };
}

/** Rows of a DuckDB query in a throwaway in-memory instance (reads step files and written files). */
async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll(sql);
    conn.closeSync();
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    instance.closeSync();
  }
}

const readStep = (run: TestRun, id: string, sql: string) =>
  duckRows(`ATTACH '${stepFile(run.ctx.workspaceDir, id)}' AS s (READ_ONLY); USE s; ${sql}`);

async function rejectsWith(promise: Promise<unknown>, code: string, stepId: string): Promise<OsirisError> {
  const err = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof OsirisError, String(err));
  assert.equal(err.code, code, err.message);
  assert.ok(err.message.includes(stepId), `message names the step: ${err.message}`);
  assert.ok(err.hint.length > 0);
  return err;
}

const stepFiles = async (run: TestRun) => (await readdir(path.join(run.ctx.workspaceDir, 'steps'))).sort();

const movies = step('extract-movies', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', table: 'movies', batch_size: 7 });
const reviews = step('extract-reviews', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', query: 'SELECT review_id, movie_id, rating, review_date FROM reviews' });
const topRated = step('top-rated', 'duckdb.processor', 'transform', {
  query: `SELECT m.movie_id, m.title, m.budget_musd, AVG(r.rating) AS avg_rating, count(*) AS reviews
          FROM df_extract_movies m JOIN df_extract_reviews r USING (movie_id)
          GROUP BY ALL HAVING AVG(r.rating) > 8 ORDER BY m.movie_id`,
}, ['extract-movies', 'extract-reviews']);
const TOP_RATED_SQL = `SELECT m.movie_id, m.title, m.budget_musd, AVG(r.rating) AS avg_rating, count(*) AS reviews
  FROM movies m JOIN reviews r USING (movie_id) GROUP BY m.movie_id HAVING AVG(r.rating) > 8 ORDER BY m.movie_id`;

function sqliteRows(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function assertSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((want, index) => {
    const got = actual[index]!;
    for (const [key, value] of Object.entries(want)) {
      const have = typeof got[key] === 'bigint' ? Number(got[key]) : got[key];
      if (typeof value === 'number' && !Number.isInteger(value)) assert.ok(Math.abs(Number(have) - value) < 1e-9, `${key} row ${index}: ${String(have)} vs ${value}`);
      else assert.deepEqual(have, value, `${key} row ${index}`);
    }
  });
}

describe('runtime: a pipeline executed step by step', async () => {
  const run = await createTestRun();
  after(() => run.cleanup());
  const progress: StepProgress[] = [];
  const onProgress = (p: StepProgress) => void progress.push(p);

  it('extracts two sources, joins them and writes CSV and Parquet matching a direct SQLite query', async () => {
    const csv = step('save-csv', 'filesystem.csv_writer', 'write', { path: 'reports/top.csv', delimiter: ',', header: true }, ['top-rated']);
    const parquet = step('save-parquet', 'filesystem.parquet_writer', 'write', { path: 'reports/top.parquet', compression: 'zstd' }, ['top-rated']);
    const [movieResult, reviewResult] = await Promise.all([executeStep(movies, run.ctx, { onProgress }), executeStep(reviews, run.ctx, { onProgress })]);
    const expectedMovies = sqliteRows(run.demoDb, 'SELECT * FROM movies ORDER BY movie_id');
    assert.equal(movieResult.rows, expectedMovies.length);
    assert.equal(reviewResult.rows, sqliteRows(run.demoDb, 'SELECT count(*) AS n FROM reviews')[0]!.n);
    assert.deepEqual(
      progress.filter((p) => p.stepId === 'extract-movies').map((p) => p.rows),
      Array.from({ length: Math.ceil(expectedMovies.length / 7) }, (_, i) => Math.min((i + 1) * 7, expectedMovies.length)),
    );
    assertSameRows(await readStep(run, 'extract-movies', 'SELECT * FROM df_extract_movies ORDER BY movie_id'), expectedMovies);
    const types = await readStep(run, 'extract-movies', "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'df_extract_movies'");
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.data_type])), {
      movie_id: 'BIGINT', title: 'VARCHAR', release_year: 'BIGINT', director_id: 'BIGINT', genre: 'VARCHAR', runtime_minutes: 'BIGINT', budget_musd: 'DOUBLE',
    });

    const joined = await executeStep(topRated, run.ctx, { onProgress });
    const expected = sqliteRows(run.demoDb, TOP_RATED_SQL);
    assert.ok(expected.length >= 5);
    assert.equal(joined.rows, expected.length);
    assert.ok(expected.some((row) => row.budget_musd === null), 'a NULL survives the round trip');

    const [csvResult, parquetResult] = await Promise.all([executeStep(csv, run.ctx), executeStep(parquet, run.ctx)]);
    assert.equal(csvResult.rows, expected.length);
    assert.equal(csvResult.outputs[0]!.path, path.join(run.ctx.outputDir, 'reports/top.csv'));
    assert.equal(csvResult.outputs[0]!.bytes, (await stat(csvResult.outputs[0]!.path)).size);
    assertSameRows(await duckRows(`SELECT * FROM read_csv('${csvResult.outputs[0]!.path}') ORDER BY movie_id`), expected);
    assertSameRows(await duckRows(`SELECT * FROM read_parquet('${parquetResult.outputs[0]!.path}') ORDER BY movie_id`), expected);
    assert.deepEqual(await stepFiles(run), ['extract-movies.duckdb', 'extract-reviews.duckdb', 'top-rated.duckdb']);
    assert.deepEqual((await readdir(path.join(run.ctx.outputDir, 'reports'))).sort(), ['top.csv', 'top.parquet']);
  });

  it('writes JSON as ndjson or as one array', async () => {
    const ndjson = await executeStep(step('json-lines', 'filesystem.json_writer', 'write', { path: 'top.ndjson', format: 'ndjson' }, ['top-rated']), run.ctx);
    const array = await executeStep(step('json-array', 'filesystem.json_writer', 'write', { path: 'top.json', format: 'array' }, ['top-rated']), run.ctx);
    const lines = (await readFile(ndjson.outputs[0]!.path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const parsed = JSON.parse(await readFile(array.outputs[0]!.path, 'utf8')) as Record<string, unknown>[];
    assert.equal(lines.length, ndjson.rows);
    assert.deepEqual(parsed, lines);
    assertSameRows(parsed, sqliteRows(run.demoDb, TOP_RATED_SQL));
  });

  it('writes SQLite tables: replace, upsert, and create_if_missing false', async () => {
    const write = (id: string, config: Record<string, unknown>) =>
      executeStep(step(id, 'sqlite.writer', 'write', { connection: '@sqlite.local', table: 'top', create_if_missing: true, ...config }, ['top-rated']), run.ctx);
    const expected = sqliteRows(run.demoDb, TOP_RATED_SQL);
    await write('replace-1', { write_mode: 'replace', primary_key: 'movie_id' });
    await write('replace-2', { write_mode: 'replace', primary_key: 'movie_id' });
    assertSameRows(sqliteRows(run.localDb, 'SELECT * FROM top ORDER BY movie_id'), expected);
    const db = new Database(run.localDb);
    db.prepare("UPDATE top SET title = 'stale' WHERE movie_id = ?").run(expected[0]!.movie_id);
    db.prepare('DELETE FROM top WHERE movie_id = ?').run(expected[1]!.movie_id);
    db.close();
    const upsert = await write('upsert', { write_mode: 'upsert', primary_key: ['movie_id'] });
    assert.equal(upsert.rows, expected.length);
    assertSameRows(sqliteRows(run.localDb, 'SELECT * FROM top ORDER BY movie_id'), expected);
    await rejectsWith(write('strict', { table: 'absent', create_if_missing: false }), 'CONFIG_INVALID', 'strict');
  });
});

describe('runtime: failures and retries', async () => {
  const run = await createTestRun();
  after(() => run.cleanup());
  const failAfter = (rows: number) => (p: StepProgress) => {
    if (p.rows >= rows) throw new OsirisError('TRANSIENT', `injected failure in ${p.stepId}`, { hint: 'retry', retryable: true });
  };

  it('an extract that fails mid-way leaves no step file, and the retry has exact row counts', async () => {
    const extract = step('movies-flaky', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', table: 'movies', batch_size: 10 });
    await rejectsWith(executeStep(extract, run.ctx, { onProgress: failAfter(20) }), 'TRANSIENT', 'movies-flaky');
    assert.deepEqual(await stepFiles(run), []);
    const result = await executeStep(extract, run.ctx);
    const expected = sqliteRows(run.demoDb, 'SELECT count(*) AS n FROM movies')[0]!.n;
    assert.equal(result.rows, expected);
    assert.deepEqual(await readStep(run, 'movies-flaky', 'SELECT count(*)::INT AS n, count(DISTINCT movie_id)::INT AS d FROM df_movies_flaky'), [{ n: expected, d: expected }]);
    assert.deepEqual(await stepFiles(run), ['movies-flaky.duckdb']);
  });

  it('a sqlite.writer append that fails mid-way rolls back, so the retry does not duplicate rows', async () => {
    await executeStep(step('reviews', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', table: 'reviews' }), run.ctx);
    const append = step('append-reviews', 'sqlite.writer', 'write', { connection: '@sqlite.local', table: 'reviews_copy', write_mode: 'append', create_if_missing: true, batch_size: 10 }, ['reviews']);
    const total = Number(sqliteRows(run.demoDb, 'SELECT count(*) AS n FROM reviews')[0]!.n);
    await rejectsWith(executeStep(append, run.ctx, { onProgress: failAfter(10) }), 'TRANSIENT', 'append-reviews');
    assert.equal(sqliteRows(run.localDb, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'reviews_copy'")[0]!.n, 0);
    assert.equal((await executeStep(append, run.ctx)).rows, total);
    assertSameRows(sqliteRows(run.localDb, 'SELECT * FROM reviews_copy ORDER BY review_id'), sqliteRows(run.demoDb, 'SELECT * FROM reviews ORDER BY review_id'));
    await executeStep(append, run.ctx);
    assert.equal(sqliteRows(run.localDb, 'SELECT count(*) AS n FROM reviews_copy')[0]!.n, 2 * total);
  });

  it('refuses writer paths outside the output directory', async () => {
    await mkdir(run.ctx.outputDir, { recursive: true });
    await symlink(tmpdir(), path.join(run.ctx.outputDir, 'escape'));
    for (const target of ['../../x.csv', '/tmp/x.csv', 'escape/x.csv', 'escape/deeper/x.csv']) {
      await rejectsWith(executeStep(step('save', 'filesystem.csv_writer', 'write', { path: target, delimiter: ',', header: true }, ['reviews']), run.ctx), 'PATH_REFUSED', 'save');
    }
    await assert.rejects(access(path.join(tmpdir(), 'deeper')));
  });

  it('reports SQL errors as non-retryable and naming the step', async () => {
    const bad = step('bad-join', 'duckdb.processor', 'transform', { query: 'SELECT no_such_column FROM df_reviews' }, ['reviews']);
    const err = await rejectsWith(executeStep(bad, run.ctx), 'SQL_ERROR', 'bad-join');
    assert.equal(err.retryable, false);
    assert.ok(!(await stepFiles(run)).includes('bad-join.duckdb'));
    const missing = step('no-table', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', table: 'no_such_table' });
    assert.equal((await rejectsWith(executeStep(missing, run.ctx), 'SQL_ERROR', 'no-table')).retryable, false);
    const twice = step('twice', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', query: 'SELECT movie_id, title AS Movie_ID FROM movies' });
    const refused = await rejectsWith(executeStep(twice, run.ctx), 'SQL_ERROR', 'twice');
    assert.match(refused.message, /two columns named "movie_id" and "Movie_ID"/);
    assert.ok(!(await stepFiles(run)).includes('twice.duckdb'));
  });

  it('refuses writes in a source query and file access in a transform', async () => {
    const del = step('delete', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', query: 'DELETE FROM movies' });
    await rejectsWith(executeStep(del, run.ctx), 'SQL_REFUSED', 'delete');
    assert.ok(Number(sqliteRows(run.demoDb, 'SELECT count(*) AS n FROM movies')[0]!.n) > 0);
    const read = step('sneaky', 'duckdb.processor', 'transform', { query: "SELECT * FROM read_csv('/etc/passwd')" }, ['reviews']);
    await rejectsWith(executeStep(read, run.ctx), 'SQL_REFUSED', 'sneaky');
  });

  it('refuses a writer whose input step has not run', async () => {
    const orphan = step('orphan', 'filesystem.csv_writer', 'write', { path: 'o.csv', delimiter: ',', header: true }, ['never-ran']);
    await rejectsWith(executeStep(orphan, run.ctx), 'INPUT_MISSING', 'orphan');
  });
});
