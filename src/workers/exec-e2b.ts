import { Worker, type NativeConnection } from '@temporalio/worker';
import { createExecActivities, type ExecActivityDeps } from '../activities/exec.js';
import { createConnectionResolver } from '../connections/resolver.js';
import type { ProjectConfig } from '../config/project-config.js';
import { createSandboxBackend } from '../runtime/sandbox/sandbox-backend.js';
import { createSandboxProvider, DEFAULT_RUNTIME_BUNDLE } from '../runtime/sandbox/provider.js';
import type { SandboxProvider } from '../runtime/sandbox/sandbox.js';
import { EXEC_TASK_QUEUES } from '../workflows/task-queues.js';
import { osirisDataConverter } from '../temporal/data-converter.js';
import type { WorkerTuning } from './deployment.js';
import { hostTaskQueue } from './host-queue.js';

export interface ExecE2bOptions {
  connection: NativeConnection;
  config: Pick<ProjectConfig, 'projectDir' | 'inputDir' | 'stateDir' | 'outputDir' | 'temporal' | 'e2b'>;
  /** Test seams: another sandbox implementation, a freshly bundled runtime, a hook after each batch. */
  provider?: SandboxProvider;
  runtimeBundle?: string;
  onStepProgress?: ExecActivityDeps['onStepProgress'];
  /** As on exec-local: one worker on this queue only, also the run's host queue. */
  ownQueue?: string;
  /** Concurrency and shutdown settings of `osiris worker`. */
  tuning?: WorkerTuning;
}

/**
 * Like exec-local: one worker on `osiris-exec-e2b` creates the run's sandbox, and one on this host's
 * own queue runs every later step. Any worker could reconnect to the sandbox by its id, but the
 * host queue keeps a run's downloaded outputs, events and summary on one machine (as with local
 * runs), and it is what the process backend needs: its sandbox is a directory on this host.
 */
export async function createExecE2bWorkers(o: ExecE2bOptions): Promise<Worker[]> {
  const hostQueue = o.ownQueue ?? hostTaskQueue(EXEC_TASK_QUEUES.e2b, o.config.stateDir);
  const backend = createSandboxBackend({
    provider: o.provider ?? createSandboxProvider(o.config),
    projectDir: o.config.projectDir,
    ...(o.config.inputDir === undefined ? {} : { inputDir: o.config.inputDir }),
    outputDir: o.config.outputDir,
    runtimeBundle: o.runtimeBundle ?? DEFAULT_RUNTIME_BUNDLE,
  });
  const activities = createExecActivities({
    stateDir: o.config.stateDir,
    hostTaskQueue: hostQueue,
    resolveConnection: createConnectionResolver(o.config),
    backend,
    onStepProgress: o.onStepProgress,
  });
  // As on exec-local: heartbeats reach the server every second, so a cancelled run stops its step at once.
  const common = { connection: o.connection, namespace: o.config.temporal.namespace, activities, maxHeartbeatThrottleInterval: '1 second', dataConverter: osirisDataConverter(), ...o.tuning };
  if (o.ownQueue) return [await Worker.create({ ...common, taskQueue: o.ownQueue })];
  return Promise.all([Worker.create({ ...common, taskQueue: EXEC_TASK_QUEUES.e2b }), Worker.create({ ...common, taskQueue: hostQueue })]);
}
