import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createWorker } from '../../examples/embedding/worker.js';
import { startNightlyReport } from '../../examples/embedding/starter.js';
import { installRuntimeLogging } from '../../src/workers/runtime-logging.js';
import { connectClient } from '../support/conversation.js';
import { makeProject } from '../support/project.js';
import { readRows } from '../support/read-output.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/**
 * examples/embedding: a user's own worker (only the package's public exports, resolved through its
 * `exports` map, i.e. the built dist/) runs its workflow, which runs an Osiris pipeline as a child
 * between two of its own activities.
 */
let temporal: TestTemporal;
let client: Client;
let worker: Worker;
let workerConnection: NativeConnection;
let running: Promise<void>;
let projectDir: string;

before(async () => {
  installRuntimeLogging('ERROR');
  temporal = await startTestTemporal();
  client = await connectClient(temporal.address);
  projectDir = makeProject();
  ({ worker, connection: workerConnection } = await createWorker({ address: temporal.address, projectDir }));
  running = worker.run();
});

after(async () => {
  worker.shutdown();
  await running;
  await workerConnection.close();
  await client.connection.close();
  await temporal.stop();
});

test('the example workflow runs a pipeline from OML text with params as a child, between its own activities', async () => {
  const handle = await startNightlyReport(client, 8.5);
  const { report, run } = await handle.result();
  assert.match(run.fingerprint, /^[0-9a-f]{64}$/);
  assert.deepEqual(run.steps.map((s) => s.stepId), ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet']);
  const csv = run.outputs.find((o) => o.path.endsWith('top_rated.csv'))!.path;
  const rows = await readRows(csv);
  assert.equal(rows.length, run.steps.find((s) => s.stepId === 'top-rated')!.rows);
  assert.ok(rows.length > 0 && rows.every((r) => Number(r.avg_rating) > 8.5), 'the param reached the SQL');
  assert.ok(existsSync(report));
  assert.equal(JSON.parse(readFileSync(report, 'utf8')).fingerprint, run.fingerprint);

  const child = await client.workflow.getHandle(`${handle.workflowId}-pipeline`).describe();
  assert.equal(child.type, 'pipelineRun');
  assert.equal(child.parentExecution?.workflowId, handle.workflowId);
  const history = await handle.fetchHistory();
  const activityTypes = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  assert.deepEqual(activityTypes, ['checkSourceFresh', 'publishReport']);
});

test('invalid OML given to the embedded pipeline fails the child with every problem named', async () => {
  const handle = await client.workflow.start('pipelineRun', {
    taskQueue: 'nightly-reports',
    workflowId: `broken-${Date.now()}`,
    args: [{ oml: 'oml_version: "0.1.0"\nname: broken\nsteps:\n  - id: a\n    component: nope.extractor\n    mode: read\n    config: {}\n' }],
  });
  await assert.rejects(handle.result(), (err: Error & { cause?: Error & { cause?: Error } }) => {
    assert.equal(err.cause?.message, 'Activity task failed');
    assert.match(err.cause?.cause?.message ?? '', /unknown component "nope\.extractor"/);
    return true;
  });
});
