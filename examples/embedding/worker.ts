// The user's worker: their workflows and activities, plus Osiris through the plugin.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { osirisPlugin } from 'osiris-temporal';
import * as activities from './activities.js';

export const TASK_QUEUE = 'nightly-reports';

export async function createWorker(options: { address: string; projectDir: string }): Promise<Worker> {
  const connection = await NativeConnection.connect({ address: options.address });
  return Worker.create({
    connection,
    taskQueue: TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
    activities,
    plugins: [osirisPlugin({ projectDir: options.projectDir })],
  });
}

// `npx tsx examples/embedding/worker.ts` runs it against TEMPORAL_ADDRESS (default localhost:7233).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const worker = await createWorker({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', projectDir: process.cwd() });
  await worker.run();
}
