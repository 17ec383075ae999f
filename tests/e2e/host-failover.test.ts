import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { osiris } from '../support/cli.js';
import { maybeRecordHistory } from '../support/histories.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { freePort } from '../../src/client/dev-server.js';
import { makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { startWorkerProcess, waitForPollers, type WorkerProcess } from '../support/worker-process.js';

/**
 * Two exec workers acting as two machines (separate project and state directories, real
 * `osiris worker` processes). The one holding a run is killed with SIGKILL and never restarted:
 * the run starts again on the other and writes every row to MariaDB exactly once.
 */
const ROWS = 3_000_000;
const PIPELINE = [
  'oml_version: "0.1.0"',
  'name: lost-host',
  'steps:',
  '  - id: numbers',
  '    component: sqlite.extractor',
  '    mode: read',
  '    config:',
  '      connection: "@sqlite.demo"',
  `      query: WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${ROWS}) SELECT x FROM c`,
  '  - id: buckets',
  '    component: duckdb.processor',
  '    mode: transform',
  '    needs: [numbers]',
  '    config:',
  '      query: SELECT x % 1000 AS id, COUNT(*) AS n FROM df_numbers GROUP BY 1',
  '  - id: save',
  '    component: mysql.writer',
  '    mode: write',
  '    needs: [buckets]',
  '    config:',
  '      connection: "@mysql.wh"',
  '      table: buckets',
  '      write_mode: append',
  '      create_if_missing: true',
].join('\n');

let temporal: TestTemporal;
let mariadb: TestMariadb;
const workers: WorkerProcess[] = [];

before(async () => {
  [temporal, mariadb] = await Promise.all([startTestTemporal(), startTestMariadb()]);
  await mariadb.query('CREATE DATABASE wh');
});

after(async () => {
  for (const w of workers) await w.stop('SIGKILL');
  await mariadb?.stop();
  await temporal?.stop();
});

function hostProject(): string {
  const v = mariadb.values('wh');
  return makeProject({
    'osiris_connections.yaml': `connections:\n  mysql:\n    wh:\n      host: ${v.host}\n      port: ${v.port}\n      user: ${v.user}\n      password: \${OSIRIS_HA_PW}\n      database: wh\n`,
    'lost-host.yaml': PIPELINE,
  });
}


const runsDir = (dir: string) => path.join(dir, '.osiris', 'runs');

/** A step of the run has started on this host: its workspace is prepared and the run is pinned to it. */
function runsStepsHere(dir: string): boolean {
  if (!existsSync(runsDir(dir))) return false;
  return readdirSync(runsDir(dir)).some((run) => {
    const events = path.join(runsDir(dir), run, 'events.jsonl');
    return existsSync(events) && readFileSync(events, 'utf8').includes('"type":"step_start"');
  });
}

/**
 * Waits until the control worker and both exec workers poll (so either host may take the run), starts
 * the run, and returns it with the index of the host running its steps. (A host lost while it is still
 * preparing the workspace is simply replaced by a retried prepare on the other one, with no new attempt.)
 */
async function startRunOnOneHost(controlDir: string, hosts: string[], env: NodeJS.ProcessEnv) {
  await waitForPollers(temporal.address, 'osiris-control', 'workflow');
  await waitForPollers(temporal.address, 'osiris-exec-local', 'activity');
  await sleep(1000);
  const run = osiris(['run', 'lost-host.yaml'], { cwd: controlDir, env, timeoutMs: 240_000 });
  let victim = -1;
  for (let i = 0; i < 600 && victim < 0; i++) {
    victim = hosts.findIndex(runsStepsHere);
    if (victim < 0) await sleep(50);
  }
  assert.ok(victim >= 0, 'no host started a step of the run');
  return { run, victim };
}

test('kill -9 the host holding a run: it completes on the other host, every row written once', async () => {
  const env = { TEMPORAL_ADDRESS: temporal.address, OSIRIS_HA_PW: mariadb.password };
  const controlDir = hostProject();
  const hosts = [hostProject(), hostProject()];
  workers.push(startWorkerProcess({ cwd: controlDir, env, args: ['--queue', 'control'] }));
  const execWorkers = hosts.map((dir) => startWorkerProcess({ cwd: dir, env, args: ['--queue', 'exec-local'] }));
  workers.push(...execWorkers);
  const { run, victim } = await startRunOnOneHost(controlDir, hosts, env);
  execWorkers[victim]!.child.kill('SIGKILL');
  const killedAt = Date.now();
  const result = await run;
  const recoveryMs = Date.now() - killedAt;
  assert.equal(result.code, 0, result.stdout + result.stderr + execWorkers.map((w) => w.output()).join('\n'));
  process.stderr.write(`recovered from a lost host in ${(recoveryMs / 1000).toFixed(1)} s\n`);
  assert.ok(recoveryMs < 120_000, `recovery took ${recoveryMs} ms (bound: 2 minutes)`);

  const [counts] = await mariadb.query<{ rows: string; ids: string; total: string }[]>('SELECT COUNT(*) AS `rows`, COUNT(DISTINCT id) AS ids, SUM(n) AS total FROM buckets', [], 'wh');
  assert.deepEqual(counts, { rows: '1000', ids: '1000', total: String(ROWS) }, 'every bucket once, every source row counted once');

  // The surviving host recorded attempt 2 and which host was lost.
  const survivor = hosts[1 - victim]!;
  const [runId] = readdirSync(runsDir(survivor));
  const events = readFileSync(path.join(runsDir(survivor), runId!, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; attempt?: number; lostHosts?: string[]; status?: string });
  const start = events.find((e) => e.type === 'run_start')!;
  assert.equal(start.attempt, 2);
  assert.equal(start.lostHosts?.length, 1);
  assert.match(start.lostHosts![0]!, /^osiris-exec-local@/);
  assert.equal(events.find((e) => e.type === 'run_end')?.status, 'completed');
  // The history of a run that moved hosts is a replay fixture (tests/histories/pipelineRun-host-failover.json).
  const connection = await Connection.connect({ address: temporal.address });
  await maybeRecordHistory(new Client({ connection }).workflow.getHandle(runId!), 'pipelineRun-host-failover');
  await connection.close();
  const report = await osiris(['logs', 'html', runId!], { cwd: survivor, env });
  assert.equal(report.code, 0, report.stderr);
  const htmlFile = /(\S+\.html)/.exec(report.stdout)?.[1];
  assert.ok(htmlFile, report.stdout);
  assert.match(readFileSync(path.resolve(survivor, htmlFile), 'utf8'), /attempt 2 of the run: moved to this host after losing osiris-exec-local@/);
  for (const w of workers.splice(0)) assert.ok([0, null].includes(await w.stop('SIGTERM')), w.output());
});

test('SIGTERM mid-run: the worker finishes its step and exits 0; the run completes elsewhere; metrics and health are served', async () => {
  const env = { TEMPORAL_ADDRESS: temporal.address, OSIRIS_HA_PW: mariadb.password };
  const controlDir = hostProject();
  const hosts = [hostProject(), hostProject()];
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  workers.push(startWorkerProcess({ cwd: controlDir, env, args: ['--queue', 'control', '--max-workflow-tasks', '4'] }));
  const execWorkers = hosts.map((dir, i) =>
    startWorkerProcess({ cwd: dir, env, args: ['--queue', 'exec-local', '--max-activities', '2', '--metrics', `127.0.0.1:${ports[2 * i]}`, '--health', `127.0.0.1:${ports[2 * i + 1]}`] }),
  );
  workers.push(...execWorkers);
  const { run, victim } = await startRunOnOneHost(controlDir, hosts, env);
  const health = await fetch(`http://127.0.0.1:${ports[2 * victim + 1]}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const metrics = await (await fetch(`http://127.0.0.1:${ports[2 * victim]}/metrics`)).text();
  assert.match(metrics, /temporal_/, 'SDK metrics in Prometheus format');

  const code = await execWorkers[victim]!.stop('SIGTERM');
  assert.equal(code, 0, execWorkers[victim]!.output());
  const result = await run;
  assert.equal(result.code, 0, result.stdout + result.stderr + execWorkers.map((w) => w.output()).join('\n'));
  const [counts] = await mariadb.query<{ rows: string; ids: string; total: string }[]>('SELECT COUNT(*) AS `rows`, COUNT(DISTINCT id) AS ids, SUM(n) AS total FROM buckets', [], 'wh');
  // The first test wrote 1000 rows; this run appended 1000 more, each bucket once more: nothing lost, nothing doubled.
  assert.deepEqual(counts, { rows: '2000', ids: '1000', total: String(2 * ROWS) });
});
