import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { bundleRuntime } from '../../scripts/bundle-runtime.js';
import type { ExecActivityDeps } from '../../src/activities/exec.js';
import type { ProjectConfig } from '../../src/config/project-config.js';
import type { SandboxProvider } from '../../src/runtime/sandbox/sandbox.js';
import { createExecE2bWorkers } from '../../src/workers/exec-e2b.js';
import { runInProcess, type InProcessWorkers } from './workers.js';

let bundle: Promise<string> | undefined;

/** The runtime bundled from the current sources once per test process (dist/ may be stale or being rebuilt). */
export function testRuntimeBundle(): Promise<string> {
  bundle ??= mkdtemp(path.join(os.tmpdir(), 'osiris-bundle-')).then((dir) => bundleRuntime(path.join(dir, 'sandbox-runtime.mjs')));
  return bundle;
}

/** exec-e2b workers (default: the process backend from the config) in the test process. */
export async function startE2bWorkers(
  config: ProjectConfig,
  options: { provider?: SandboxProvider; onStepProgress?: ExecActivityDeps['onStepProgress'] } = {},
): Promise<InProcessWorkers> {
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  return runInProcess(connection, await createExecE2bWorkers({ connection, config, runtimeBundle: await testRuntimeBundle(), ...options }));
}

/** Every regular file under `dir` (symlinks not followed: node_modules is one) with its content. */
export function filesUnder(dir: string): { file: string; content: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(file);
    return entry.isFile() ? [{ file, content: readFileSync(file) }] : [];
  });
}

/** Pids of live processes whose command line contains `text` (Linux /proc). */
export function pidsWithArg(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return statSync(`/proc/${pid}`).isDirectory() && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; it has stopped running.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}
