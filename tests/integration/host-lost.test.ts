import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { compileOml } from '../../src/oml/compile.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { createControlWorker } from '../../src/workers/control.js';
import { createExecLocalWorkers } from '../../src/workers/exec-local.js';
import { installRuntimeLogging } from '../../src/workers/runtime-logging.js';
import { progressQuery } from '../../src/workflows/messages.js';
import { CONTROL_TASK_QUEUE } from '../../src/workflows/task-queues.js';
import { makeProject, testConfig } from '../support/project.js';
import { endlessPipeline } from '../support/slow-pipeline.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { runInProcess } from '../support/workers.js';

/** When every allowed attempt loses its host, the run fails at once with HOST_LOST naming the host, instead of waiting. */
let temporal: TestTemporal;

before(async () => {
  temporal = await startTestTemporal();
});

after(async () => {
  await temporal?.stop();
});

test('the only exec worker stops mid-step and no other exists: HOST_LOST after the host timeout, naming the host', async () => {
  installRuntimeLogging('ERROR');
  const config = testConfig(makeProject(), temporal.address);
  const controlConnection = await NativeConnection.connect({ address: temporal.address });
  const control = runInProcess(controlConnection, [await createControlWorker({ connection: controlConnection, config })]);
  const execConnection = await NativeConnection.connect({ address: temporal.address });
  const exec = runInProcess(execConnection, await createExecLocalWorkers({ connection: execConnection, config }));
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection });
    const compiled = await compileOml(endlessPipeline('host-lost'), { params: {}, checkTransformSql });
    const handle = await client.workflow.start('pipelineRun', {
      taskQueue: CONTROL_TASK_QUEUE,
      workflowId: `host-lost-${Date.now()}`,
      args: [{ manifest: compiled.manifest, fingerprint: compiled.fingerprint, hostFailover: { hostTimeout: '2 seconds', maxAttempts: 1 } }],
    });
    for (let i = 0; i < 200 && (await handle.query(progressQuery)).steps[0]!.status !== 'running'; i++) await sleep(100);
    await exec.stop(); // the host is gone: its step is cancelled and its queue has no poller
    const stoppedAt = Date.now();
    const err = await handle.result().then(
      () => assert.fail('the run completed without a host'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, 'HOST_LOST');
    assert.match(err.cause.message, /lost the host holding its workspace 1 time\(s\) \(osiris-exec-local@/);
    // Bounded by the host timeout (2 s) plus the retry backoff, not the old 10-minute wait.
    assert.ok(Date.now() - stoppedAt < 60_000);
  } finally {
    await connection.close();
    await control.stop();
  }
});
