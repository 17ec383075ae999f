import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ProjectConfig } from '../../src/config/project-config.js';
import type { ExecActivityDeps } from '../../src/activities/exec.js';
import { createControlWorker } from '../../src/workers/control.js';
import { createExecLocalWorkers } from '../../src/workers/exec-local.js';
import { runWorkers } from '../../src/workers/run-workers.js';
import { installRuntimeLogging } from '../../src/workers/runtime-logging.js';

export interface InProcessWorkers {
  stop(): Promise<void>;
}

/** Control + exec-local workers in the test process, against a test server. */
export async function startWorkers(config: ProjectConfig, options: { onStepProgress?: ExecActivityDeps['onStepProgress'] } = {}): Promise<InProcessWorkers> {
  installRuntimeLogging('ERROR');
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const workers: Worker[] = [await createControlWorker({ connection, config }), ...(await createExecLocalWorkers({ connection, config, onStepProgress: options.onStepProgress }))];
  return runInProcess(connection, workers);
}

/** Runs workers until `stop()`, which shuts them down and closes their connection. */
export function runInProcess(connection: NativeConnection, workers: Worker[]): InProcessWorkers {
  const abort = new AbortController();
  const running = runWorkers(workers, abort.signal);
  return {
    async stop() {
      abort.abort();
      await running;
      await connection.close();
    },
  };
}
