import { Worker, type NativeConnection } from '@temporalio/worker';
import { createExecActivities, type ExecActivityDeps } from '../activities/exec.js';
import { createConnectionResolver } from '../connections/resolver.js';
import type { ProjectConfig } from '../config/project-config.js';
import { executeStep } from '../runtime/execute-step.js';
import { createLocalBackend } from '../runtime/local-backend.js';
import { EXEC_TASK_QUEUES } from '../workflows/task-queues.js';
import { osirisDataConverter } from '../temporal/data-converter.js';
import type { WorkerTuning } from './deployment.js';
import { hostTaskQueue } from './host-queue.js';

export interface ExecLocalOptions {
  connection: NativeConnection;
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir' | 'outputDir' | 'temporal'>;
  /** Test seam passed through to the activities. */
  onStepProgress?: ExecActivityDeps['onStepProgress'];
  /** One worker on this queue only, which is also the run's host queue (`osiris run`'s own steps). */
  ownQueue?: string;
  /** Concurrency and shutdown settings of `osiris worker`. */
  tuning?: WorkerTuning;
}

/**
 * Two workers: one on `osiris-exec-local` (creates workspaces) and one on this host's own queue,
 * where every later step of a run is sent (docs/architecture.md §5). With `ownQueue`, one worker on that
 * queue only: `osiris run` routes its run there so its steps see the environment of its own shell.
 */
export async function createExecLocalWorkers(o: ExecLocalOptions): Promise<Worker[]> {
  const hostQueue = o.ownQueue ?? hostTaskQueue(EXEC_TASK_QUEUES.local, o.config.stateDir);
  const activities = createExecActivities({
    stateDir: o.config.stateDir,
    hostTaskQueue: hostQueue,
    resolveConnection: createConnectionResolver(o.config),
    backend: createLocalBackend({ ...o.config, executeStep }),
    onStepProgress: o.onStepProgress,
  });
  // Heartbeats reach the server at least every second (not every 24 s, 0.8 x the heartbeat timeout):
  // a cancelled run (Ctrl-C in `osiris run`) learns of it at the next one, so its step stops at once.
  const common = { connection: o.connection, namespace: o.config.temporal.namespace, activities, maxHeartbeatThrottleInterval: '1 second', dataConverter: osirisDataConverter(), ...o.tuning };
  if (o.ownQueue) return [await Worker.create({ ...common, taskQueue: o.ownQueue })];
  return Promise.all([
    Worker.create({ ...common, taskQueue: EXEC_TASK_QUEUES.local }),
    Worker.create({ ...common, taskQueue: hostQueue }),
  ]);
}
