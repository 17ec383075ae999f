import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { freePort } from '../../src/client/dev-server.js';
import { isAlive } from '../../src/client/project-worker.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject, writeProjectFiles } from '../support/project.js';
import { readRows } from '../support/read-output.js';

/**
 * The CLI worker model in embedded mode: read-only commands start no worker; chat/approve use one
 * background project worker; each `osiris run` executes its own steps in its own process, so a
 * connection's ${VAR} is the value of the shell that started the run.
 */
let projectDir: string;
let demoDb: string;
const workerFile = () => path.join(projectDir, '.osiris', 'worker.json');

function sourceDb(name: string, value: string): string {
  const file = path.join(projectDir, `${name}.sqlite`);
  const db = new Database(file);
  db.exec('CREATE TABLE t (v TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < 50; i++) insert.run(value);
  db.close();
  return file;
}

/** Extract, transform and write: several steps, each of which must run in the run's own shell. */
function pipeline(name: string): string {
  return [
    'oml_version: "0.1.0"',
    `name: ${name}`,
    'steps:',
    '  - { id: a, component: sqlite.extractor, mode: read, config: { connection: "@sqlite.src", query: "SELECT v FROM t" } }',
    '  - { id: b, component: sqlite.extractor, mode: read, needs: [], config: { connection: "@sqlite.src", query: "SELECT v AS w FROM t" } }',
    '  - { id: both, component: duckdb.processor, mode: transform, needs: [a, b], config: { query: "SELECT v FROM df_a UNION ALL SELECT w FROM df_b" } }',
    `  - { id: save, component: filesystem.csv_writer, mode: write, needs: [both], config: { path: ${name}.csv } }`,
    '',
  ].join('\n');
}

before(async () => {
  const port = await freePort();
  const uiPort = await freePort();
  projectDir = makeProject({
    'osiris.yaml': `temporal:\n  port: ${port}\n  ui_port: ${uiPort}\n`,
    'osiris_connections.yaml': 'connections:\n  sqlite:\n    demo:\n      path: ${WM_DEMO_DB}\n    src:\n      path: ${WM_SRC_DB}\n',
  });
  demoDb = await ensureDemoDatabase(path.join(projectDir, 'demo'));
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir });
});

test('two concurrent runs from two shells each see their own environment', async () => {
  writeProjectFiles(projectDir, { 'left.yaml': pipeline('left'), 'right.yaml': pipeline('right') });
  const left = sourceDb('left', 'from-left');
  const right = sourceDb('right', 'from-right');
  // Cold: both start the embedded server and the project worker at once (one of each must result).
  const [a, b] = await Promise.all([
    osiris(['run', 'left.yaml'], { cwd: projectDir, env: { WM_SRC_DB: left, WM_DEMO_DB: demoDb } }),
    osiris(['run', 'right.yaml'], { cwd: projectDir, env: { WM_SRC_DB: right } }),
  ]);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  const leftRows = await readRows(path.join(projectDir, 'output', 'left.csv'));
  const rightRows = await readRows(path.join(projectDir, 'output', 'right.csv'));
  assert.deepEqual(new Set(leftRows.map((r) => r.v)), new Set(['from-left']));
  assert.deepEqual(new Set(rightRows.map((r) => r.v)), new Set(['from-right']));
  assert.equal(leftRows.length, 100);
  assert.equal(rightRows.length, 100);
  assert.equal((await osiris(['worker', 'stop'], { cwd: projectDir })).code, 0);
});

test('read-only commands start no worker', async () => {
  for (const args of [['sessions'], ['components', 'list'], ['connections', 'list']]) {
    const r = await osiris(args, { cwd: projectDir });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!existsSync(workerFile()), `${args.join(' ')} started a worker`);
  }
  const status = await osiris(['worker', 'status'], { cwd: projectDir });
  assert.equal(status.code, 1);
  assert.match(status.stdout, /not running/);
});

test('chat and approve are served by one background project worker with the environment it was started with', async () => {
  // Started by this chat: it inherits WM_DEMO_DB; later commands need not set it.
  const first = await osiris(['chat', 'export table directors to csv'], { cwd: projectDir, env: { WM_DEMO_DB: demoDb } });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /Started the project worker \(pid \d+, log \.osiris\/worker\.log\)/);
  const state = JSON.parse(readFileSync(workerFile(), 'utf8')) as { pid: number };
  assert.ok(isAlive(state.pid));
  const sessionId = /session (s-[0-9a-z]+)/.exec(first.stderr)![1]!;

  const approve = await osiris(['approve', sessionId], { cwd: projectDir });
  assert.equal(approve.code, 0, approve.stdout + approve.stderr);
  assert.match(approve.stdout, /completed/);
  assert.doesNotMatch(approve.stderr, /Started the project worker/);
  assert.equal((JSON.parse(readFileSync(workerFile(), 'utf8')) as { pid: number }).pid, state.pid, 'the same worker');

  const status = await osiris(['worker', 'status'], { cwd: projectDir });
  assert.equal(status.code, 0);
  assert.match(status.stdout, new RegExp(`pid ${state.pid}`));
  const stop = await osiris(['worker', 'stop'], { cwd: projectDir });
  assert.equal(stop.code, 0);
  assert.ok(!isAlive(state.pid));
  assert.ok(!existsSync(workerFile()));
});

test('osiris server says a server is already running instead of exiting 13 silently', async () => {
  await osiris(['sessions'], { cwd: projectDir });
  const r = await osiris(['server'], { cwd: projectDir, timeoutMs: 30_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /a server is already listening on 127\.0\.0\.1:\d+ \(the embedded server/);
  assert.match(r.stderr, /osiris server stop/);
});

test('the project worker log carries no terminal escape codes', () => {
  const log = readFileSync(path.join(projectDir, '.osiris', 'worker.log'), 'utf8');
  assert.match(log, /Workers running/);
  assert.ok(!log.includes('\u001b['), 'ANSI escape codes in worker.log');
});

test('Ctrl-C at the interactive chat prompt exits cleanly, leaving the session open', async () => {
  // A real terminal (script(1) allocates a pty), so Ctrl-C reaches readline as a user types it.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', WM_DEMO_DB: demoDb };
  delete env.TEMPORAL_ADDRESS;
  const child = spawn('script', ['-qfec', `${process.execPath} ${path.join(repoRoot, 'bin', 'osiris.js')} chat`, '/dev/null'], { cwd: projectDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 600 && !out.includes('you>'); i++) await sleep(100);
  assert.match(out, /you>/);
  child.stdin.write('\u0003');
  const code = await exited;
  assert.equal(code, 0, out);
  assert.match(out, /Continue later with: osiris chat --session s-/);
  assert.doesNotMatch(out, /readline was closed|error:/);
});
