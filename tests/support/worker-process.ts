import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { repoRoot } from './cli.js';

const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType;

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `osiris worker ARGS` as a real process (the built bin), its output kept for assertions. */
export function startWorkerProcess(options: { cwd: string; env: NodeJS.ProcessEnv; args?: string[] }): WorkerProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.TEMPORAL_ADDRESS;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'worker', ...(options.args ?? [])], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      return exited;
    },
  };
}

/**
 * Runs `body` with a worker process, then stops it (SIGTERM) and checks its exit code is one of
 * `exitCodes`. A failure of `body` is reported as is, with the worker's output, never masked by the
 * exit check.
 */
export async function withWorkerProcess<T>(
  options: { cwd: string; env: NodeJS.ProcessEnv; args?: string[]; exitCodes?: (number | null)[] },
  body: (worker: WorkerProcess) => Promise<T>,
): Promise<T> {
  const worker = startWorkerProcess(options);
  let result: T;
  try {
    result = await body(worker);
  } catch (err) {
    await worker.stop();
    if (err instanceof Error) err.message += `\n--- worker output ---\n${worker.output()}`;
    throw err;
  }
  const code = await worker.stop();
  assert.ok((options.exitCodes ?? [0]).includes(code), `the worker exited with ${code}\n${worker.output()}`);
  return result;
}

/** Waits until a worker polls `queue` (plaintext connection straight to the dev server). */
export async function waitForPollers(address: string, queue: string, kind: 'workflow' | 'activity' = 'activity', timeoutMs = 60_000): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const taskQueueType = kind === 'workflow' ? TASK_QUEUE_TYPE_WORKFLOW : TASK_QUEUE_TYPE_ACTIVITY;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const response = await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: queue }, taskQueueType });
      if ((response.pollers ?? []).length > 0) return;
      await sleep(100);
    }
    throw new Error(`no poller on ${queue}`);
  } finally {
    await connection.close();
  }
}

/** Waits until both the control and exec-local queues have a poller. */
export async function waitForOsirisWorkers(address: string): Promise<void> {
  await waitForPollers(address, 'osiris-control', 'workflow');
  await waitForPollers(address, 'osiris-exec-local', 'activity');
}
