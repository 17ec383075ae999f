// The user's worker: their workflows and activities, plus Osiris through the plugin.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { osirisPlugin } from 'osiris-temporal';
import * as activities from './activities.js';

export const TASK_QUEUE = 'nightly-reports';

/** The worker and its connection: close the connection once the worker has stopped, or the process stays alive. */
export async function createWorker(options: { address: string; projectDir: string }): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue: TASK_QUEUE,
      workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
      activities,
      plugins: [osirisPlugin({ projectDir: options.projectDir })],
    });
    return { worker, connection };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

// `npx tsx examples/embedding/worker.ts` runs it against TEMPORAL_ADDRESS (default localhost:7233).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { worker, connection } = await createWorker({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', projectDir: process.cwd() });
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}
