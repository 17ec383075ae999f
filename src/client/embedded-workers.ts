import type { Worker } from '@temporalio/worker';
import type { ProjectConfig } from '../config/project-config.js';
import { createControlWorker } from '../workers/control.js';
import { createExecE2bWorkers } from '../workers/exec-e2b.js';
import { createExecLocalWorkers } from '../workers/exec-local.js';
import type { WorkerTuning } from '../workers/deployment.js';
import { installRuntimeLogging } from '../workers/runtime-logging.js';
import { runWorkers } from '../workers/run-workers.js';
import type { TemporalSession } from './temporal-connection.js';

export type WorkerRole = 'control' | 'exec-local' | 'exec-e2b';
export const WORKER_ROLES: WorkerRole[] = ['control', 'exec-local', 'exec-e2b'];

export async function createWorkers(session: TemporalSession, config: ProjectConfig, roles: readonly WorkerRole[], tuning?: WorkerTuning): Promise<Worker[]> {
  installRuntimeLogging('ERROR');
  const connection = await session.nativeConnection();
  const workers: Worker[] = [];
  if (roles.includes('control')) workers.push(await createControlWorker({ connection, config, tuning }));
  if (roles.includes('exec-local')) workers.push(...(await createExecLocalWorkers({ connection, config, tuning })));
  if (roles.includes('exec-e2b')) workers.push(...(await createExecE2bWorkers({ connection, config, tuning })));
  return workers;
}

/** Workers running inside the CLI process for the duration of one command (the embedded default). */
export async function startEmbeddedWorkers(session: TemporalSession, config: ProjectConfig): Promise<{ stop(): Promise<void> }> {
  const workers = await createWorkers(session, config, WORKER_ROLES);
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  running.catch(() => {});
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
