import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort, startDevServer, stopDevServer, type DevServer } from '../../src/client/dev-server.js';
import { ensureTemporalCli } from '../../src/client/temporal-cli.js';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { ENDLESS_QUERY } from '../support/slow-pipeline.js';

/**
 * The server goes away for longer than a gRPC call's own retries (> 25 s) while `osiris run` waits
 * for the result, then comes back: the CLI must report the run as it ended (completed), not failed.
 */
let server: DevServer;
let worker: ChildProcess;
let projectDir: string;
let env: NodeJS.ProcessEnv;
const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-restart-'));
let port: number;
let uiPort: number;

const start = () =>
  startDevServer({ cli: ensureTemporalCli({ install: false }), port, uiPort, namespace: 'default', dbFile: path.join(dir, 'temporal.db'), logFile: path.join(dir, 'temporal.log'), detached: false, startTimeoutMs: 90_000 });

before(async () => {
  port = await freePort();
  uiPort = await freePort();
  server = await start();
  const query = ENDLESS_QUERY.replace('LIMIT 500000000', 'LIMIT 1500000');
  projectDir = makeProject({ 'slowish.yaml': `oml_version: "0.1.0"\nname: slowish\nsteps:\n  - id: gen\n    component: sqlite.extractor\n    mode: read\n    config:\n      connection: "@sqlite.demo"\n      query: ${query}\n  - id: save\n    component: filesystem.csv_writer\n    mode: write\n    needs: [gen]\n    config: { path: slowish.csv }\n` });
  env = { TEMPORAL_ADDRESS: server.address };
  worker = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'worker'], { cwd: projectDir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  worker.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 600 && !/Workers running/.test(log); i++) await sleep(100);
  assert.match(log, /Workers running/);
});

after(async () => {
  worker.kill('SIGKILL');
  await stopDevServer(server);
});

async function stepStarted(workflowPrefix: string): Promise<boolean> {
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'pipelineRun'` })) {
      if (!wf.workflowId.startsWith(workflowPrefix)) continue;
      const { raw } = await client.workflow.getHandle(wf.workflowId).describe();
      return (raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'runStep');
    }
    return false;
  } finally {
    await connection.close();
  }
}

test('a run that completes across a 35 s server outage is reported completed', async () => {
  const run = osiris(['run', 'slowish.yaml'], { cwd: projectDir, env, timeoutMs: 300_000 });
  const deadline = Date.now() + 120_000;
  while (!(await stepStarted('osiris-run-slowish-').catch(() => false)) && Date.now() < deadline) await sleep(200);
  await stopDevServer(server);
  await sleep(35_000);
  server = await start();
  const result = await run;
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /completed in/);
});
