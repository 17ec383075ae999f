import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { compileOml } from '../../src/oml/compile.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { startPipelineRun } from '../../src/client/start-run.js';
import { progressQuery } from '../../src/workflows/messages.js';
import { maybeRecordHistory } from '../support/histories.js';
import { readRows } from '../support/read-output.js';
import { failFirstAttempt, startTestStack, type TestStack } from '../support/stack.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const example = readFileSync(path.join(root, 'examples', 'top-rated-movies.yaml'), 'utf8');

let stack: TestStack;
let client: Client;
let projectDir: string;
/** Steps (by id) whose first attempt fails after its first batch: a transient crash mid-step. */
const faults = failFirstAttempt();

before(async () => {
  stack = await startTestStack({ onStepProgress: faults.onStepProgress });
  ({ client, projectDir } = stack);
});

after(() => stack?.stop());

async function compile(text: string, params: Record<string, string | number> = {}) {
  return compileOml(text, { params, checkTransformSql });
}

async function expectedTopRated(minRating: number) {
  const db = new Database(await ensureDemoDatabase(path.join(projectDir, '.osiris', 'demo')), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT m.title, m.release_year, m.genre, AVG(r.rating) AS avg_rating, COUNT(*) AS reviews
         FROM movies m JOIN reviews r USING (movie_id)
         GROUP BY m.title, m.release_year, m.genre HAVING AVG(r.rating) > ? ORDER BY m.title`,
      )
      .all(minRating) as { title: string; release_year: number; genre: string; avg_rating: number; reviews: number }[];
  } finally {
    db.close();
  }
}

async function activityAttempts(workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
}

describe('pipelineRun through a real Temporal server', () => {
  test('the 4-step example runs end to end; CSV and Parquet outputs match the source row by row', async () => {
    const compiled = await compile(example);
    const handle = await startPipelineRun(client, compiled, 'local');
    const result = await handle.result();

    const expected = await expectedTopRated(8);
    assert.ok(expected.length >= 3, 'the demo data has movies rated above 8');
    assert.deepEqual(result.steps.map((s) => s.stepId), ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet']);
    assert.equal(result.steps.find((s) => s.stepId === 'top-rated')!.rows, expected.length);

    const csv = path.join(projectDir, 'output', 'top_rated.csv');
    const parquet = path.join(projectDir, 'output', 'top_rated.parquet');
    assert.deepEqual(result.outputs.map((o) => o.path).sort(), [csv, parquet]);
    for (const file of [csv, parquet]) {
      const rows = await readRows(file, 'title');
      assert.equal(rows.length, expected.length, file);
      rows.forEach((row, i) => {
        const want = expected[i]!;
        assert.equal(row.title, want.title);
        assert.equal(Number(row.release_year), want.release_year);
        assert.equal(row.genre, want.genre);
        // The pipeline rounds to 2 decimals; SQLite's unrounded average must agree within that.
        assert.ok(Math.abs(Number(row.avg_rating) - want.avg_rating) <= 0.005 + 1e-9, `${want.title}: ${row.avg_rating} vs ${want.avg_rating}`);
        assert.equal(Number(row.reviews), want.reviews);
      });
    }

    const progress = await handle.query(progressQuery);
    assert.equal(progress.status, 'completed');
    assert.ok(progress.steps.every((s) => s.status === 'completed'));
    assert.ok(!existsSync(path.join(projectDir, '.osiris', 'workspaces', handle.workflowId)), 'workspace cleaned up');
    const description = await handle.describe();
    assert.equal(description.memo?.pipeline, 'top-rated-movies');
    assert.equal(description.typedSearchAttributes.getAll().find((p) => p.key.name === 'OsirisStatus')?.value, 'completed');

    await maybeRecordHistory(handle, 'pipelineRun-top-rated-movies');
  });

  test('a transient failure mid-step is retried and the run has no duplicated rows', async () => {
    faults.steps.add('extract-reviews');
    try {
      const compiled = await compile(example.replace('name: top-rated-movies', 'name: top-rated-retry'));
      const handle = await startPipelineRun(client, compiled, 'local');
      const result = await handle.result();
      const db = new Database(await ensureDemoDatabase(path.join(projectDir, '.osiris', 'demo')), { readonly: true });
      const reviewCount = (db.prepare('SELECT COUNT(*) AS n FROM reviews').get() as { n: number }).n;
      db.close();
      assert.equal(result.steps.find((s) => s.stepId === 'extract-reviews')!.rows, reviewCount, 'exactly the source rows, none duplicated');
      assert.ok((await activityAttempts(handle.workflowId)).some((a) => a === 2), 'the step ran a second attempt');
      const rows = await readRows(path.join(projectDir, 'output', 'top_rated.csv'), 'avg_rating DESC, title');
      assert.equal(rows.length, (await expectedTopRated(8)).length);
    } finally {
      faults.steps.clear();
    }
  });

  test('a SQL error fails the run at once, naming the step, without retries', async () => {
    const broken = example.replace('ROUND(AVG(r.rating), 2) AS avg_rating', 'ROUND(AVG(r.no_such_column), 2) AS avg_rating');
    const compiled = await compile(broken.replace('name: top-rated-movies', 'name: top-rated-broken'));
    const handle = await startPipelineRun(client, compiled, 'local');
    const err = await handle.result().then(
      () => assert.fail('the run should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.match(err.cause.message, /^Step "top-rated".*no_such_column/);
    assert.equal(err.cause.type, 'SQL_ERROR');
    assert.deepEqual(await activityAttempts(handle.workflowId), [1, 1, 1, 1, 1], 'prepare, two extracts, the failing transform, cleanup: no step retried');
    const progress = await handle.query(progressQuery);
    assert.equal(progress.status, 'failed');
    assert.equal(progress.steps.find((s) => s.id === 'top-rated')!.status, 'failed');
    assert.equal(progress.steps.find((s) => s.id === 'save-csv')!.status, 'pending');
  });
});
