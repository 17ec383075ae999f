import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { ProjectConfig } from '../config/project-config.js';
import type { WorkerTuning } from '../workers/deployment.js';
import { installRuntimeLogging } from '../workers/runtime-logging.js';
import { runWorkers } from '../workers/run-workers.js';
import { sweepStale } from '../workers/sweep-stale.js';
import { EXEC_TASK_QUEUES, type ExecutionTarget } from '../workflows/task-queues.js';
import type { TemporalSession } from './temporal-connection.js';

export type WorkerRole = 'control' | 'exec-local' | 'exec-e2b';
export const WORKER_ROLES: WorkerRole[] = ['control', 'exec-local', 'exec-e2b'];

// Each kind of worker is imported when it is created: the control worker brings the LLM SDKs and
// the e2b one the E2B SDK, which `osiris run` on the local target never needs (~1 s of imports).
const controlWorker = async () => (await import('../workers/control.js')).createControlWorker;
const execLocalWorkers = async () => (await import('../workers/exec-local.js')).createExecLocalWorkers;
const execE2bWorkers = async () => (await import('../workers/exec-e2b.js')).createExecE2bWorkers;

export async function createWorkers(session: TemporalSession, config: ProjectConfig, roles: readonly WorkerRole[], tuning?: WorkerTuning): Promise<Worker[]> {
  installRuntimeLogging('ERROR');
  const connection = await session.nativeConnection();
  if (roles.some((r) => r.startsWith('exec-'))) void sweepStale(config.outputDir);
  const workers: Worker[] = [];
  if (roles.includes('control')) workers.push(await (await controlWorker())({ connection, config, tuning }));
  if (roles.includes('exec-local')) workers.push(...(await (await execLocalWorkers())({ connection, config, tuning })));
  if (roles.includes('exec-e2b')) workers.push(...(await (await execE2bWorkers())({ connection, config, tuning })));
  return workers;
}

/**
 * `osiris run` in embedded mode: an exec worker inside the CLI process on a queue of its own, so the
 * run's steps execute here, with this shell's environment; two shells never run each other's steps.
 * The pipelineRun workflow itself runs in the project worker.
 */
export function ownRunQueue(target: ExecutionTarget): string {
  return `${EXEC_TASK_QUEUES[target]}@run-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** The worker serving `ownRunQueue`'s queue, running until `stop()`. */
export async function startRunWorkers(session: TemporalSession, config: ProjectConfig, target: ExecutionTarget, queue: string): Promise<{ stop(): Promise<void> }> {
  installRuntimeLogging('ERROR');
  const connection = await session.nativeConnection();
  // What killed writers and previews left behind (a worker starting is the moment nobody else will).
  void sweepStale(config.outputDir);
  const create = await (target === 'e2b' ? execE2bWorkers : execLocalWorkers)();
  const workers = await create({ connection, config, ownQueue: queue });
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
