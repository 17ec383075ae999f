import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { startPipelineRun } from '../../src/client/start-run.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { compileOml } from '../../src/oml/compile.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { historyText } from '../support/history-text.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { startTestPostgrest, type TestPostgrest } from '../support/postgrest-server.js';
import { failFirstAttempt, startTestStack, type TestStack } from '../support/stack.js';

const KEY = 'pipeline-service-role-key-9f8e7d6c';
let stack: TestStack;
let server: TestPostgres;
let rest: TestPostgrest;
let db: pg.Client;
let client: Client;
let projectDir: string;
/** Steps whose first attempt fails after its second batch: a crash mid-write. */
const faults = failFirstAttempt({ afterRows: 20 });

const pipeline = (name: string, table: string, connection = '@supabase.project') => `
oml_version: "0.1.0"
name: ${name}
steps:
  - id: extract-movies
    component: sqlite.extractor
    mode: read
    config: { connection: "@sqlite.demo", table: movies, columns: [movie_id, title, release_year] }
  - id: extract-reviews
    component: sqlite.extractor
    mode: read
    needs: []
    config: { connection: "@sqlite.demo", table: reviews, columns: [movie_id, rating] }
  - id: ratings
    component: duckdb.processor
    mode: transform
    needs: [extract-movies, extract-reviews]
    config:
      query: |
        SELECT m.movie_id, m.title, m.release_year, CAST(AVG(r.rating) AS DECIMAL(6,3)) AS avg_rating, COUNT(*) AS reviews
        FROM df_extract_movies m JOIN df_extract_reviews r USING (movie_id) GROUP BY ALL
  - id: save
    component: supabase.writer
    mode: write
    needs: [ratings]
    config: { connection: "${connection}", table: ${table}, write_mode: upsert, primary_key: movie_id, batch_size: 10 }
`;

before(async () => {
  server = await startTestPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  rest = await startTestPostgrest({ databaseUrl: server.url, key: KEY });
  process.env.OSIRIS_TEST_SUPABASE_KEY = KEY;
  stack = await startTestStack({
    files: {
      'osiris_connections.yaml': `version: 1
connections:
  supabase:
    project: { url: "${rest.url}", key: "\${OSIRIS_TEST_SUPABASE_KEY}" }
    wrongkey: { url: "${rest.url}", key: "not-the-key-123456" }
  postgres:
    warehouse: { url: "${server.url}" }
`,
    },
    onStepProgress: faults.onStepProgress,
  });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack?.stop();
  await rest?.close();
  await db?.end();
  await server?.stop();
});

async function expectedRatings() {
  const demo = new Database(await ensureDemoDatabase(path.join(projectDir, '.osiris', 'demo')), { readonly: true });
  try {
    return demo
      .prepare('SELECT m.movie_id, m.title, m.release_year, AVG(r.rating) AS avg_rating, COUNT(*) AS reviews FROM movies m JOIN reviews r USING (movie_id) GROUP BY m.movie_id ORDER BY m.movie_id')
      .all() as { movie_id: number; title: string; release_year: number; avg_rating: number; reviews: number }[];
  } finally {
    demo.close();
  }
}

describe('demo SQLite -> DuckDB -> supabase.writer upsert (REST), through Temporal', () => {
  test('the run upserts every row once, survives a crash mid-write, and keeps the key out of the history', async () => {
    await db.query('CREATE TABLE movie_ratings (movie_id bigint PRIMARY KEY, title text NOT NULL, release_year integer, avg_rating numeric(6,3), reviews integer)');
    await db.query("INSERT INTO movie_ratings VALUES (1, 'stale title', 1900, 0, 0), (100000, 'not in the input', 2000, 1, 1)");
    faults.steps.add('save');
    try {
      const handle = await startPipelineRun(client, await compileOml(pipeline('ratings-to-supabase', 'movie_ratings'), { params: {}, checkTransformSql }), 'local');
      const result = await handle.result();
      const expected = await expectedRatings();
      assert.equal(result.steps.find((s) => s.stepId === 'save')!.rows, expected.length);
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
      assert.ok(attempts.includes(2), 'the save step ran a second attempt');
      assert.ok(!historyText(history).includes(KEY), 'the service key never enters the workflow history');

      const rows = (await db.query('SELECT movie_id::int AS movie_id, title, release_year, avg_rating::text AS avg_rating, reviews FROM movie_ratings ORDER BY movie_id')).rows;
      assert.equal(rows.length, expected.length + 1, 'one row per movie plus the untouched extra row');
      expected.forEach((want, i) => {
        const got = rows[i]!;
        assert.deepEqual([got.movie_id, got.title, got.release_year, got.reviews], [want.movie_id, want.title, want.release_year, want.reviews]);
        assert.ok(Math.abs(Number(got.avg_rating) - want.avg_rating) <= 0.0005 + 1e-9, `${want.title}: ${got.avg_rating} vs ${want.avg_rating}`);
      });
      assert.deepEqual(rows.at(-1), { movie_id: 100000, title: 'not in the input', release_year: 2000, avg_rating: '1.000', reviews: 1 });
    } finally {
      faults.steps.clear();
    }
  });

  test('a wrong key fails the run at once with CONNECTION_FAILED naming the alias, no retries', async () => {
    const handle = await startPipelineRun(client, await compileOml(pipeline('ratings-wrong-key', 'movie_ratings', '@supabase.wrongkey'), { params: {}, checkTransformSql }), 'local');
    const err = await handle.result().then(
      () => assert.fail('the run should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    let cause: unknown = err.cause;
    while (cause && !(cause instanceof ApplicationFailure && cause.type === 'CONNECTION_FAILED')) cause = (cause as Error).cause;
    assert.ok(cause instanceof ApplicationFailure, `a CONNECTION_FAILED failure in ${String(err.cause)}`);
    assert.match(cause.message, /@supabase\.wrongkey: the REST API refused the key \(HTTP 401/);
    assert.ok(!historyText(await handle.fetchHistory()).includes('not-the-key-123456'));
  });
});

describe('PostgreSQL -> Parquet through Temporal, the extractor storing the Parquet file', () => {
  test('a first attempt that fails mid-stream leaves nothing; the retry writes every row once, as the table path would', async () => {
    await db.query(`CREATE TABLE orders AS SELECT i AS id, 'order "' || i || '", line\n' || i AS label, (i * 0.01)::numeric(12,2) AS amount FROM generate_series(1, 5000) AS i`);
    const oml = (name: string, steps: string) => `oml_version: "0.1.0"\nname: ${name}\nsteps:\n${steps}`;
    const extract = '  - { id: extract, component: postgres.extractor, mode: read, config: { connection: "@postgres.warehouse", table: orders, batch_size: 500 } }\n';
    const stored = await compileOml(oml('orders-parquet', `${extract}  - { id: save, component: filesystem.parquet_writer, mode: write, needs: [extract], config: { path: out/orders.parquet } }\n`), { params: {}, checkTransformSql });
    assert.deepEqual(stored.manifest.steps[0]!.stored_as, { format: 'parquet', compression: 'snappy' });
    faults.steps.add('extract');
    try {
      const handle = await startPipelineRun(client, stored, 'local');
      const result = await handle.result();
      assert.deepEqual(result.steps.map((s) => [s.stepId, s.rows]), [['extract', 5000], ['save', 5000]]);
      const attempts = ((await handle.fetchHistory()).events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
      assert.ok(attempts.includes(2), 'the extract step ran a second attempt');
    } finally {
      faults.steps.clear();
    }
    // The same rows through a step table (a transform in between) for comparison.
    const staged = await compileOml(
      oml('orders-staged', `${extract}  - { id: copy, component: duckdb.processor, mode: transform, needs: [extract], config: { query: "SELECT * FROM df_extract" } }\n  - { id: save, component: filesystem.parquet_writer, mode: write, needs: [copy], config: { path: out/orders-staged.parquet } }\n`),
      { params: {}, checkTransformSql },
    );
    assert.equal(staged.manifest.steps[0]!.stored_as, undefined);
    await (await startPipelineRun(client, staged, 'local')).result();
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const [a, b] = ['orders', 'orders-staged'].map((name) => `read_parquet('${path.join(projectDir, 'output', 'out', `${name}.parquet`)}')`);
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
      assert.deepEqual(await rows(`SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS d FROM ${a}`), [{ n: 5000, d: 5000 }]);
      assert.deepEqual(await rows(`SELECT count(*)::INT AS n FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`), [{ n: 0 }]);
      assert.deepEqual(await rows(`SELECT count(*)::INT AS n FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`), [{ n: 0 }]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
