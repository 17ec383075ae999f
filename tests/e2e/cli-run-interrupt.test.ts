import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/client/dev-server.js';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { endlessPipeline } from '../support/slow-pipeline.js';

/**
 * Ctrl-C on `osiris run` (a real SIGINT to the real CLI process): the first requests cancellation
 * and waits until the run is cancelled, then exits 130; a second exits at once, leaving it running.
 */
let projectDir: string;
let port: number;

before(async () => {
  port = await freePort();
  projectDir = makeProject({ 'osiris.yaml': `temporal:\n  port: ${port}\n  ui_port: ${await freePort()}\n`, 'slow.yaml': endlessPipeline('slow') });
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir });
});

/** Starts `osiris run slow.yaml`, waits until its step is running, then sends `signals` (`gapMs` apart). */
async function interruptedRun(signals: NodeJS.Signals[], gapMs = 1000): Promise<{ code: number | null; stdout: string; stderr: string; workflowId: string; msAfterLast: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'run', 'slow.yaml'], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!/workflow osiris-run-\S+/.test(stdout) && Date.now() < deadline && child.exitCode === null) await sleep(100);
  const id = /workflow (osiris-run-\S+)/.exec(stdout)?.[1];
  assert.ok(id, stdout + stderr);
  // The step has heartbeated rows: the run is really under way.
  while (!(await stepHeartbeating(id)) && Date.now() < deadline) await sleep(200);
  let last = Date.now();
  for (const sig of signals) {
    child.kill(sig);
    last = Date.now();
    await sleep(gapMs);
  }
  const code = await exited;
  const workflowId = /workflow (osiris-run-\S+)/.exec(stdout)![1]!;
  return { code, stdout, stderr, workflowId, msAfterLast: Date.now() - last };
}

async function stepHeartbeating(workflowId: string): Promise<boolean> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    const { raw } = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    return (raw.pendingActivities ?? []).some((a) => a.heartbeatDetails?.payloads?.length);
  } finally {
    await connection.close();
  }
}

async function workflowStatus(workflowId: string): Promise<string> {
  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    return (await new Client({ connection }).workflow.getHandle(workflowId).describe()).status.name;
  } finally {
    await connection.close();
  }
}

test('Ctrl-C cancels the run, waits until it is cancelled, and exits 130', async () => {
  const run = await interruptedRun(['SIGINT']);
  assert.equal(run.code, 130, run.stdout + run.stderr);
  assert.match(run.stderr, /Cancelling osiris-run-slow-/);
  assert.match(run.stderr, /cancelled: the run was cancelled; its workspace was cleaned up/);
  assert.equal(await workflowStatus(run.workflowId), 'CANCELLED');
});

test('SIGTERM does the same', async () => {
  const run = await interruptedRun(['SIGTERM']);
  assert.equal(run.code, 130, run.stdout + run.stderr);
  assert.equal(await workflowStatus(run.workflowId), 'CANCELLED');
});

test('a second Ctrl-C exits at once, saying the run is left running', async () => {
  const run = await interruptedRun(['SIGINT', 'SIGINT'], 100);
  assert.equal(run.code, 130, run.stdout + run.stderr);
  assert.match(run.stderr, new RegExp(`left running: ${run.workflowId} \\(cancellation was requested, not waited for\\)`));
  assert.doesNotMatch(run.stderr, /cancelled: the run was cancelled/);
});
