import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createExecActivities } from '../../src/activities/exec.js';
import { startPipelineRun } from '../../src/client/start-run.js';
import { createConnectionResolver } from '../../src/connections/resolver.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { compileOml } from '../../src/oml/compile.js';
import type { ExecutionBackend } from '../../src/runtime/backend.js';
import { createControlWorker } from '../../src/workers/control.js';
import { createExecLocalWorkers } from '../../src/workers/exec-local.js';
import { EXEC_TASK_QUEUES } from '../../src/workflows/task-queues.js';
import { copyExample } from '../support/project.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { runInProcess } from '../support/workers.js';

/**
 * A worker that dies while it prepares a run's workspace (a sandbox starting, say): prepareWorkspace
 * heartbeats, so another exec worker takes it over within the heartbeat timeout (20 s), not after the
 * activity's 5-minute start-to-close timeout.
 */
let stack: TestStack;

before(async () => {
  // Workers are started by the test: the control worker, the hanging exec worker, then a healthy one.
  stack = await startTestStack({ workers: false });
});

after(() => stack?.stop());

test('a worker lost inside prepareWorkspace: the run completes on another exec worker well before the 5-minute timeout', async () => {
  const { config, client, projectDir } = stack;
  copyExample(projectDir);
  const controlConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const control = runInProcess(controlConnection, [await createControlWorker({ connection: controlConnection, config })]);

  let preparing: () => void = () => {};
  const started = new Promise<void>((resolve) => (preparing = resolve));
  // The lost worker: its prepare never returns and ignores cancellation, like a process that froze or died.
  const hanging: ExecutionBackend = {
    name: 'hanging',
    prepare: () => {
      preparing();
      return new Promise(() => {});
    },
    executeStep: () => assert.fail('no step runs on the lost worker'),
    cleanup: async () => {},
  };
  const lostConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const lost = await Worker.create({
    connection: lostConnection,
    taskQueue: EXEC_TASK_QUEUES.local,
    shutdownGraceTime: '100 ms',
    shutdownForceTime: '1 second',
    activities: createExecActivities({ stateDir: config.stateDir, hostTaskQueue: 'osiris-exec-local@lost', resolveConnection: createConnectionResolver(config), backend: hanging }),
  });
  const lostRun = lost.run();

  const compiled = await compileOml(readFileSync(path.join(projectDir, 'examples', 'top-rated-movies.yaml'), 'utf8'), { params: {}, checkTransformSql });
  const handle = await startPipelineRun(client, compiled, 'local');
  await started;
  lost.shutdown();
  await lostRun.catch(() => undefined);
  await lostConnection.close();
  const lostAt = Date.now();

  const healthyConnection = await NativeConnection.connect({ address: config.temporalAddress });
  const healthy = runInProcess(healthyConnection, await createExecLocalWorkers({ connection: healthyConnection, config }));
  try {
    // Bounded well below the 5-minute start-to-close timeout that used to decide it.
    const result = await Promise.race([handle.result(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the run still waits for the lost prepare after 150 s')), 150_000))]);
    assert.equal(result.steps.length, 5);
    const recoveredMs = Date.now() - lostAt;
    process.stdout.write(`# prepare lost: run completed ${recoveredMs} ms after the worker was lost\n`);
  } finally {
    await healthy.stop();
    await control.stop();
  }
});
