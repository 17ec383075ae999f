import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { LIVE_POLLER_MS } from '../../src/client/check-workers.js';
import { osiris, repoRoot } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/**
 * With TEMPORAL_ADDRESS, a worker killed with -9 stays listed as a poller for about 5 minutes. `run`
 * and `chat` must not wait for it: they look at when each poller was last seen, and say which
 * worker to start.
 */
let temporal: TestTemporal;
let projectDir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  temporal = await startTestTemporal();
  projectDir = makeProject();
  copyExample(projectDir);
  env = { TEMPORAL_ADDRESS: temporal.address };
});

after(() => temporal.stop());

test('a worker killed with -9 is not taken for a live one: run and chat name the worker to start', async () => {
  const worker = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'worker'], { cwd: projectDir, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  worker.stderr.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 600 && !/Workers running/.test(log); i++) await sleep(100);
  assert.match(log, /Workers running/);
  const ok = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
  assert.equal(ok.code, 0, ok.stderr);
  worker.kill('SIGKILL');
  await sleep(LIVE_POLLER_MS + 5_000);

  const run = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env, timeoutMs: 60_000 });
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stderr, /No worker is polling osiris-control \(osiris worker --queue control\)/);
  const chat = await osiris(['chat', 'list tables'], { cwd: projectDir, env, timeoutMs: 60_000 });
  assert.equal(chat.code, 3, chat.stderr);
  assert.match(chat.stderr, /No worker is polling osiris-control/);
});
