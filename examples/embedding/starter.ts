// Starts the user's workflow from any client: `npx tsx examples/embedding/starter.ts`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { nightlyReport } from './workflows.js';
import { TASK_QUEUE } from './worker.js';

export async function startNightlyReport(client: Client, minRating: number) {
  const oml = await readFile(fileURLToPath(new URL('../top-rated-movies.yaml', import.meta.url)), 'utf8');
  return client.workflow.start<typeof nightlyReport>('nightlyReport', {
    taskQueue: TASK_QUEUE,
    workflowId: `nightly-report-${Date.now()}`,
    args: [{ oml, minRating }],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }) });
  const handle = await startNightlyReport(client, 8);
  console.log(JSON.stringify(await handle.result(), null, 2));
  await client.connection.close();
}
