/**
 * The e2b target with the `process` sandbox backend, through a real Temporal server: the same
 * manifest gives the same bytes, rows and events as exec-local; connection secrets stay out of
 * sandbox files, events and history; cancelling a run kills the sandbox's command.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { startPipelineRun } from '../../src/client/start-run.js';
import { compileOml } from '../../src/oml/compile.js';
import { EVENTS_FILE, parseEvents, type RunEvent } from '../../src/runtime/events.js';
import { createSandboxProvider } from '../../src/runtime/sandbox/provider.js';
import type { SandboxProvider } from '../../src/runtime/sandbox/sandbox.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { historyText } from '../support/history-text.js';
import type { ProjectConfig } from '../../src/config/project-config.js';
import { writeProjectFiles } from '../support/project.js';
import { filesUnder, isAlive, pidsWithArg, startE2bWorkers } from '../support/sandbox.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { endlessPipeline } from '../support/slow-pipeline.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..', '..');
const example = readFileSync(path.join(root, 'examples', 'top-rated-movies.yaml'), 'utf8');
const SECRET = 'sandbox-secret-value-93c1f';
process.env.OSIRIS_SANDBOX_TEST_SECRET = SECRET;

let stack: TestStack;
let postgres: TestPostgres;
let client: Client;
let projectDir: string;
/** Every file in a sandbox directory just before the sandbox is killed. */
const sandboxFiles: { file: string; content: Buffer }[] = [];

/** The config's process provider, snapshotting what the sandbox holds before it goes away, to search it for the secret. */
function snapshottingProvider(config: ProjectConfig): SandboxProvider {
  const processProvider = createSandboxProvider(config);
  return {
    ...processProvider,
    async kill(id) {
      const sandboxDir = path.join(config.stateDir, 'sandboxes', id);
      if (existsSync(sandboxDir)) sandboxFiles.push(...filesUnder(sandboxDir));
      await processProvider.kill(id);
    },
  };
}

before(async () => {
  postgres = await startTestPostgres();
  stack = await startTestStack({
    files: { 'osiris.yaml': 'e2b:\n  backend: process\n' },
    prepare: async (dir) => {
      const demo = await ensureDemoDatabase(path.join(dir, '.osiris', 'demo'));
      const connections = ['version: 1', 'connections:', '  sqlite:', '    vault:', `      path: ${demo}`, '      password: ${OSIRIS_SANDBOX_TEST_SECRET}', '  postgres:', '    warehouse:', `      url: ${postgres.url}`].join('\n');
      writeProjectFiles(dir, { 'osiris_connections.yaml': connections });
    },
    moreWorkers: (config) => [startE2bWorkers(config, { provider: snapshottingProvider(config) })],
  });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack?.stop();
  await postgres?.stop();
});

const compile = (text: string) => compileOml(text, { params: {}, checkTransformSql });

function runEvents(runId: string): RunEvent[] {
  return parseEvents(readFileSync(path.join(projectDir, '.osiris', 'runs', runId, EVENTS_FILE), 'utf8'));
}

/** What legitimately differs between two runs of one manifest on two targets. */
const VARYING = new Set(['ts', 'runId', 'durationMs', 'target', 'backend']);

/** Events without the varying fields, sorted: parallel steps may finish in either order. */
function comparable(events: RunEvent[]): string[] {
  return events.map((e) => JSON.stringify(Object.entries(e).filter(([key]) => !VARYING.has(key)))).sort();
}

describe('e2b target with the process backend', () => {
  test('parity: the same manifest on exec-local and exec-e2b gives byte-identical files, the same rows and the same events', async () => {
    const compiled = await compile(example);
    const outputs = ['top_rated.csv', 'top_rated.parquet'].map((f) => path.join(projectDir, 'output', f));

    const local = await (await startPipelineRun(client, compiled, 'local')).result();
    const localBytes = outputs.map((f) => readFileSync(f));
    const sandboxed = await (await startPipelineRun(client, compiled, 'e2b')).result();
    const sandboxBytes = outputs.map((f) => readFileSync(f));

    assert.equal(sandboxed.target, 'e2b');
    assert.deepEqual(sandboxBytes, localBytes, 'byte-identical output files');
    assert.deepEqual(sandboxed.outputs.map((o) => [o.path, o.bytes]), local.outputs.map((o) => [o.path, o.bytes]));
    assert.deepEqual(
      sandboxed.steps.map((s) => [s.stepId, s.component, s.rows]),
      local.steps.map((s) => [s.stepId, s.component, s.rows]),
    );
    const localEvents = runEvents(local.runId);
    const sandboxEvents = runEvents(sandboxed.runId);
    assert.equal(sandboxEvents.find((e) => e.type === 'run_start')?.backend, 'process');
    assert.deepEqual(comparable(sandboxEvents), comparable(localEvents));
    // Per step, the same sequence (steps of one DAG level may interleave differently).
    const perStep = (events: RunEvent[]) => compiled.manifest.steps.map((step) => events.filter((e) => 'stepId' in e && e.stepId === step.id).map((e) => e.type));
    assert.deepEqual(perStep(sandboxEvents), perStep(localEvents));
    assert.deepEqual([sandboxEvents[0]!.type, sandboxEvents.at(-1)!.type], ['run_start', 'run_end']);
    assert.ok(!existsSync(path.join(projectDir, '.osiris', 'sandboxes', sandboxed.runId)), 'sandbox removed');
  });

  test('parity for an extractor that stores its Parquet file: the same bytes from the sandbox as locally', async () => {
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    await db.query(`CREATE TABLE events AS SELECT i AS id, 'event "' || i || '", x' AS label, now()::date - i AS day FROM generate_series(1, 20000) AS i`);
    await db.end();
    const compiled = await compile(`oml_version: "0.1.0"
name: events-parquet
steps:
  - { id: extract, component: postgres.extractor, mode: read, config: { connection: "@postgres.warehouse", query: "SELECT * FROM events ORDER BY id" } }
  - { id: save, component: filesystem.parquet_writer, mode: write, needs: [extract], config: { path: events.parquet, compression: zstd } }
`);
    assert.deepEqual(compiled.manifest.steps[0]!.stored_as, { format: 'parquet', compression: 'zstd' });
    const file = path.join(projectDir, 'output', 'events.parquet');
    const local = await (await startPipelineRun(client, compiled, 'local')).result();
    const localBytes = readFileSync(file);
    const sandboxed = await (await startPipelineRun(client, compiled, 'e2b')).result();
    assert.equal(sandboxed.target, 'e2b');
    assert.deepEqual(readFileSync(file), localBytes, 'byte-identical Parquet files');
    assert.deepEqual(sandboxed.steps.map((s) => [s.stepId, s.rows]), [['extract', 20000], ['save', 20000]]);
    assert.deepEqual(local.steps.map((s) => [s.stepId, s.rows]), [['extract', 20000], ['save', 20000]]);
    // In the sandbox too the extractor stored the file itself (no step table).
    const inSandbox = sandboxFiles.map((f) => f.file).filter((f) => f.includes(sandboxed.runId));
    assert.ok(inSandbox.some((f) => f.endsWith(path.join('steps', 'extract.parquet'))), inSandbox.join('\n'));
    assert.ok(!inSandbox.some((f) => f.endsWith(path.join('steps', 'extract.duckdb'))));
  });

  test('a connection secret never appears in sandbox files, events or workflow history', async () => {
    const ok = await compile(example.replace('name: top-rated-movies', 'name: vault-run').replaceAll('@sqlite.demo', '@sqlite.vault'));
    const okHandle = await startPipelineRun(client, ok, 'e2b');
    const result = await okHandle.result();
    assert.equal(result.steps.find((s) => s.stepId === 'top-rated')!.rows > 0, true);

    assert.ok(sandboxFiles.length > 0, 'the sandbox files were inspected');
    for (const { file, content } of sandboxFiles) assert.ok(!content.includes(SECRET), `secret found in sandbox file ${file}`);
    const events = readFileSync(path.join(projectDir, '.osiris', 'runs', okHandle.workflowId, EVENTS_FILE), 'utf8');
    assert.ok(!events.includes(SECRET), 'secret in events');
    assert.ok(!historyText(await okHandle.fetchHistory()).includes(SECRET), 'secret in workflow history');
  });

  test('cancelling the run mid-step kills the sandbox command and removes the sandbox', async () => {
    const slow = endlessPipeline('slow-run');
    const handle = await startPipelineRun(client, await compile(slow), 'e2b');
    let pids: number[] = [];
    for (let i = 0; i < 300 && pids.length === 0; i++) {
      await sleep(100);
      pids = pidsWithArg(path.join(handle.workflowId, 'steps', 'endless', 'request.json'));
    }
    assert.equal(pids.length, 1, 'the step runs in one child process');
    await sleep(500);
    await handle.cancel();
    await assert.rejects(handle.result(), WorkflowFailedError);
    for (let i = 0; i < 100 && isAlive(pids[0]!); i++) await sleep(100);
    assert.ok(!isAlive(pids[0]!), `pid ${pids[0]} is gone`);
    assert.ok(!existsSync(path.join(projectDir, '.osiris', 'sandboxes', handle.workflowId)), 'sandbox directory removed');
    assert.equal(runEvents(handle.workflowId).find((e) => e.type === 'run_end')?.status, 'cancelled');
  });
});
