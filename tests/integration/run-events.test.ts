import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure, defaultPayloadConverter } from '@temporalio/common';
import { startPipelineRun } from '../../src/client/start-run.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { compileOml } from '../../src/oml/compile.js';
import { parseEvents, summarizeRun, type RunEvent, type RunMetrics } from '../../src/runtime/events.js';
import { runDir } from '../../src/runtime/run-log.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import type { StepProgress } from '../../src/dataplane/step-contract.js';
import { readRows } from '../support/read-output.js';
import { failFirstAttempt, startTestStack, type TestStack } from '../support/stack.js';
import { ENDLESS_QUERY } from '../support/slow-pipeline.js';

/**
 * The run events and metrics written by the exec activities, through a real Temporal server: the
 * sequence, the numbers against the files actually written, retries, failures and masking.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
// The demo database behind an environment variable: its path is a connection secret that must be masked.
const SECRET_DIR = 'secret-events-4e1b7c';
const example = readFileSync(path.join(root, 'examples', 'top-rated-movies.yaml'), 'utf8').replaceAll('@sqlite.demo', '@sqlite.movies');
const STEPS = ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet'];

let stack: TestStack;
let client: Client;
let projectDir: string;
let dbPath: string;
/** Steps whose first attempt fails after a batch, with the connection's secret in the message. */
const faults = failFirstAttempt({ message: () => `injected: lost the connection to ${dbPath}` });
/** Called with each batch's progress (the cancellation test waits for its step to be under way). */
let onProgress: ((p: StepProgress) => void) | undefined;

before(async () => {
  stack = await startTestStack({
    files: { 'osiris_connections.yaml': 'connections:\n  sqlite:\n    movies:\n      path: ${OSIRIS_EVENTS_TEST_DB}\n' },
    prepare: async (dir) => {
      dbPath = await ensureDemoDatabase(path.join(dir, SECRET_DIR));
      process.env.OSIRIS_EVENTS_TEST_DB = dbPath;
    },
    onStepProgress: (p, attempt) => {
      faults.onStepProgress(p, attempt);
      onProgress?.(p);
    },
  });
  ({ client, projectDir } = stack);
});

after(() => stack?.stop());

async function start(name: string, text = example): Promise<WorkflowHandle> {
  const compiled = await compileOml(text.replace('name: top-rated-movies', `name: ${name}`), { params: {}, checkTransformSql });
  return startPipelineRun(client, compiled, 'local');
}

async function run(name: string, text = example): Promise<{ handle: WorkflowHandle; ok: boolean }> {
  const handle = await start(name, text);
  const ok = await handle.result().then(
    () => true,
    () => false,
  );
  return { handle, ok };
}

function readRun(workflowId: string): { events: RunEvent[]; metrics: RunMetrics; raw: string } {
  const dir = runDir(path.join(projectDir, '.osiris'), workflowId);
  const raw = readFileSync(path.join(dir, 'events.jsonl'), 'utf8') + readFileSync(path.join(dir, 'metrics.json'), 'utf8');
  return { events: parseEvents(readFileSync(path.join(dir, 'events.jsonl'), 'utf8')), metrics: JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as RunMetrics, raw };
}

const stepEvents = (events: RunEvent[], stepId: string) => events.filter((e) => 'stepId' in e && e.stepId === stepId);
const indexOf = (events: RunEvent[], type: RunEvent['type'], stepId: string) => events.findIndex((e) => e.type === type && 'stepId' in e && e.stepId === stepId);

function sourceCount(table: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('run events and metrics', () => {
  test('a run writes run_start, start/end per step in DAG order, run_end; metrics add up to the rows written', async () => {
    const { handle, ok } = await run('events-ok');
    assert.ok(ok);
    const { events, metrics } = readRun(handle.workflowId);

    assert.equal(events[0]!.type, 'run_start');
    assert.equal(events.at(-1)!.type, 'run_end');
    assert.equal(events.filter((e) => e.type === 'run_start' || e.type === 'run_end').length, 2);
    const start = events[0] as Extract<RunEvent, { type: 'run_start' }>;
    assert.deepEqual([start.pipeline, start.target, start.backend, start.steps], ['events-ok', 'local', 'local', 5]);
    for (const step of STEPS) {
      assert.deepEqual(stepEvents(events, step).map((e) => [e.type, 'attempt' in e && e.attempt]), [['step_start', 1], ['step_end', 1]], step);
    }
    // A step starts only after every step it needs has ended.
    for (const [step, needs] of [['top-rated', ['extract-movies', 'extract-reviews']], ['save-csv', ['top-rated']], ['save-parquet', ['top-rated']]] as const) {
      for (const need of needs) assert.ok(indexOf(events, 'step_end', need) < indexOf(events, 'step_start', step), `${need} ends before ${step} starts`);
    }

    // metrics.json is exactly what the events say, and the events agree with the data.
    assert.deepEqual(metrics, JSON.parse(JSON.stringify(summarizeRun(events, (await compileOml(example, { params: {}, checkTransformSql })).manifest.steps))));
    const csv = path.join(projectDir, 'output', 'top_rated.csv');
    const parquet = path.join(projectDir, 'output', 'top_rated.parquet');
    const written = (await readRows(csv)).length + (await readRows(parquet)).length;
    assert.ok(written > 0);
    assert.equal(metrics.totals.rowsWritten, written, 'rows written = rows in the output files');
    assert.equal(metrics.totals.rowsRead, sourceCount('movies') + sourceCount('reviews'), 'rows read = rows in the source tables');
    assert.equal(metrics.totals.bytes, statSync(csv).size + statSync(parquet).size);
    assert.deepEqual(metrics.steps.map((s) => [s.stepId, s.status, s.attempts]), STEPS.map((s) => [s, 'completed', 1]));
    assert.equal(metrics.steps.find((s) => s.stepId === 'top-rated')!.rows, written / 2);
    assert.equal(metrics.status, 'completed');
    assert.deepEqual([metrics.totals.retries, metrics.totals.errors, metrics.totals.completed], [0, 0, 5]);
    assert.ok(metrics.durationMs! > 0);

    // The Web UI's timeline names each activity after its step.
    const history = await handle.fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => (e.userMetadata?.summary ? defaultPayloadConverter.fromPayload<string>(e.userMetadata.summary) : undefined));
    assert.deepEqual(summaries, [
      'prepare local workspace',
      'extract-movies (sqlite.extractor)',
      'extract-reviews (sqlite.extractor)',
      'top-rated (duckdb.processor)',
      'save-csv (filesystem.csv_writer)',
      'save-parquet (filesystem.parquet_writer)',
      'finalize',
      'cleanup (completed)',
    ]);
  });

  test('a retried step records its failed attempt (secret masked) and the retry; rows are counted once', async () => {
    faults.steps.add('extract-reviews');
    try {
      const { handle, ok } = await run('events-retry');
      assert.ok(ok);
      const { events, metrics, raw } = readRun(handle.workflowId);
      const reviews = stepEvents(events, 'extract-reviews');
      assert.deepEqual(reviews.map((e) => [e.type, 'attempt' in e && e.attempt]), [['step_start', 1], ['step_error', 1], ['step_start', 2], ['step_end', 2]]);
      const error = reviews[1] as Extract<RunEvent, { type: 'step_error' }>;
      assert.equal(error.retryable, true);
      assert.match(error.message, /injected: lost the connection to \*\*\*/);
      assert.ok(error.hint);
      assert.ok(!raw.includes(SECRET_DIR), 'the connection value never reaches the events or metrics');
      const step = metrics.steps.find((s) => s.stepId === 'extract-reviews')!;
      assert.deepEqual([step.status, step.attempts, step.rows, step.errors.length], ['completed', 2, sourceCount('reviews'), 1]);
      assert.deepEqual([metrics.status, metrics.totals.retries, metrics.totals.errors, metrics.totals.rowsRead], ['completed', 1, 1, sourceCount('movies') + sourceCount('reviews')]);
    } finally {
      faults.steps.clear();
    }
  });

  test('a failing run records the step error with its code and hint, and a failed run_end', async () => {
    const broken = example.replace('ROUND(AVG(r.rating), 2) AS avg_rating', 'ROUND(AVG(r.no_such_column), 2) AS avg_rating');
    const { handle, ok } = await run('events-broken', broken);
    assert.ok(!ok);
    const { events, metrics } = readRun(handle.workflowId);
    const error = events.find((e): e is Extract<RunEvent, { type: 'step_error' }> => e.type === 'step_error')!;
    assert.deepEqual([error.stepId, error.code, error.retryable, error.attempt], ['top-rated', 'SQL_ERROR', false, 1]);
    assert.match(error.message, /no_such_column/);
    assert.ok(error.hint);
    assert.equal(indexOf(events, 'step_start', 'save-csv'), -1, 'nothing after the failed step ran');
    const end = events.at(-1)!;
    assert.ok(end.type === 'run_end');
    assert.equal(end.status, 'failed');
    assert.deepEqual([end.error?.stepId, end.error?.code], ['top-rated', 'SQL_ERROR']);
    assert.equal(metrics.status, 'failed');
    assert.deepEqual(metrics.steps.map((s) => s.status), ['completed', 'completed', 'failed', 'pending', 'pending']);
    assert.equal(metrics.totals.rowsWritten, 0);
  });

  test('a cancelled run records the running step as CANCELLED and a cancelled run_end, and removes its workspace', async () => {
    // A quick step, then one that would stream 500 million generated rows, then a writer that must never run.
    const slow = [
      'oml_version: "0.1.0"',
      'name: top-rated-movies',
      'steps:',
      '  - id: movies',
      '    component: sqlite.extractor',
      '    mode: read',
      '    config:',
      '      connection: "@sqlite.movies"',
      '      table: movies',
      '  - id: endless',
      '    component: sqlite.extractor',
      '    mode: read',
      '    needs: [movies]',
      '    config:',
      '      connection: "@sqlite.movies"',
      `      query: ${ENDLESS_QUERY}`,
      '  - id: save',
      '    component: filesystem.csv_writer',
      '    mode: write',
      '    needs: [endless]',
      '    config:',
      '      path: endless.csv',
      '',
    ].join('\n');
    let rowsSeen = 0;
    const underWay = new Promise<void>((resolve) => {
      onProgress = (p) => {
        if (p.stepId !== 'endless') return;
        rowsSeen = p.rows;
        resolve();
      };
    });
    try {
      const handle = await start('events-cancelled', slow);
      const workspace = path.join(projectDir, '.osiris', 'workspaces', handle.workflowId);
      await underWay;
      assert.ok(existsSync(workspace), 'the workspace exists while the step runs');
      const cancelledAt = Date.now();
      await handle.cancel();
      const failure = await handle.result().then(
        () => assert.fail('a cancelled run must not complete'),
        (err: unknown) => err,
      );
      assert.ok(failure instanceof WorkflowFailedError && failure.cause instanceof CancelledFailure, String(failure));
      const { events, metrics } = readRun(handle.workflowId);

      const endless = stepEvents(events, 'endless');
      assert.deepEqual(endless.map((e) => e.type), ['step_start', 'step_error'], 'the step stopped at once: no retry after the cancellation');
      const error = endless[1] as Extract<RunEvent, { type: 'step_error' }>;
      assert.deepEqual([error.code, error.retryable, error.attempt], ['CANCELLED', false, 1]);
      assert.ok(error.durationMs > 0);
      assert.ok(Date.parse(error.ts) - cancelledAt < 10_000, `the step stopped ${Date.parse(error.ts) - cancelledAt} ms after the cancel, at its next heartbeat`);
      assert.equal(indexOf(events, 'step_start', 'save'), -1, 'nothing after the cancelled step ran');

      const end = events.at(-1)!;
      assert.ok(end.type === 'run_end', `the last event is run_end, got ${end.type}`);
      assert.equal(end.status, 'cancelled');
      assert.equal(end.error?.code, 'CANCELLED');
      assert.equal(events.filter((e) => e.type === 'run_end').length, 1);
      assert.ok(indexOf(events, 'step_error', 'endless') < events.indexOf(end), 'the step error is recorded before the run ends');

      assert.equal(metrics.status, 'cancelled');
      assert.deepEqual(
        metrics.steps.map((s) => [s.stepId, s.status]),
        [
          ['movies', 'completed'],
          ['endless', 'failed'],
          ['save', 'pending'],
        ],
      );
      const step = metrics.steps.find((s) => s.stepId === 'endless')!;
      assert.deepEqual(step.errors.map((e) => [e.code, e.attempt]), [['CANCELLED', 1]]);
      assert.ok(rowsSeen > 0, 'the step was streaming rows when cancelled');
      assert.deepEqual([metrics.totals.rowsWritten, metrics.totals.completed, metrics.totals.failed], [0, 1, 1]);
      assert.deepEqual(metrics, JSON.parse(JSON.stringify(summarizeRun(events, (await compileOml(slow, { params: {}, checkTransformSql })).manifest.steps))));

      assert.ok(!existsSync(workspace), 'the workspace directory is removed');
      assert.ok(!existsSync(path.join(projectDir, 'output', 'endless.csv')), 'the writer never ran');
      const history = await handle.fetchHistory();
      assert.ok((history.events ?? []).some((e) => e.workflowExecutionCanceledEventAttributes), 'the workflow itself ended as cancelled');
    } finally {
      onProgress = undefined;
    }
  });
});
