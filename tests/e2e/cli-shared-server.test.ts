import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { osiris, repoRoot } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/**
 * With TEMPORAL_ADDRESS the CLI starts no server and no workers: it must say which worker is missing
 * instead of waiting, and work once `osiris worker` runs.
 */
let temporal: TestTemporal;
let projectDir: string;
let env: NodeJS.ProcessEnv;
let worker: ChildProcess | undefined;

before(async () => {
  temporal = await startTestTemporal();
  projectDir = makeProject();
  copyExample(projectDir);
  env = { TEMPORAL_ADDRESS: temporal.address };
});

after(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
  }
  await temporal.stop();
});

async function waitForPollers(queue: string, type: proto.temporal.api.enums.v1.TaskQueueType): Promise<void> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection });
    for (let i = 0; i < 300; i++) {
      const response = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: queue }, taskQueueType: type });
      if ((response.pollers ?? []).length > 0) return;
      await sleep(100);
    }
    throw new Error(`no poller on ${queue}`);
  } finally {
    await connection.close();
  }
}

test('without workers, run and chat say which worker to start; with `osiris worker`, the run completes', async () => {
  const noWorkers = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
  assert.equal(noWorkers.code, 3, noWorkers.stdout + noWorkers.stderr);
  assert.match(noWorkers.stderr, /No worker is polling osiris-control \(osiris worker --queue control\) and osiris-exec-local \(osiris worker --queue exec-local\)/);
  assert.match(noWorkers.stderr, /hint: With TEMPORAL_ADDRESS set, workers run separately/);
  const chat = await osiris(['chat', 'list tables'], { cwd: projectDir, env });
  assert.equal(chat.code, 3, chat.stderr);
  assert.match(chat.stderr, /No worker is polling osiris-control/);

  worker = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'worker'], { cwd: projectDir, env: { ...process.env, ...env }, stdio: 'ignore' });
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType;
  await waitForPollers('osiris-control', TASK_QUEUE_TYPE_WORKFLOW);
  await waitForPollers('osiris-exec-local', TASK_QUEUE_TYPE_ACTIVITY);

  const run = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /✓ save-parquet/);
  assert.doesNotMatch(run.stderr, /Started the Temporal dev server/);
  // No web ui line: the CLI knows no UI address for a server it did not start.
  assert.doesNotMatch(run.stdout, /web ui/);

  // The worker stops cleanly on SIGTERM.
  worker.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => worker!.once('exit', (exitCode) => r(exitCode)));
  assert.equal(code, 0);
});
