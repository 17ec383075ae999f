/**
 * The `e2b` sandbox backend through the real `e2b` SDK and a real Temporal server, against
 * tests/support/e2b-server.ts (E2B's REST API and envd's file and process endpoints on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { startPipelineRun } from '../../src/client/start-run.js';
import { OsirisError } from '../../src/errors.js';
import { compileOml } from '../../src/oml/compile.js';
import { createE2bSandboxProvider, type E2bProviderOptions } from '../../src/runtime/sandbox/e2b-sandbox.js';
import { packageRoot } from '../../src/package-root.js';
import { createSandboxBackend } from '../../src/runtime/sandbox/sandbox-backend.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { startFakeE2b, type FakeE2b } from '../support/e2b-server.js';
import { makeStep } from '../support/postgres.js';
import { isAlive, startE2bWorkers, testRuntimeBundle } from '../support/sandbox.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { endlessPipeline } from '../support/slow-pipeline.js';

const example = readFileSync(path.join(packageRoot, 'examples', 'top-rated-movies.yaml'), 'utf8');
const limits = { timeoutMs: 120_000, cpu: 2, memoryMb: 1024 };

let stack: TestStack;
let client: Client;
let fake: FakeE2b;
let projectDir: string;
let providerOptions: E2bProviderOptions;

before(async () => {
  // The sandbox's filesystem root, with node_modules where the template installs them.
  const root = mkdtempSync(path.join(os.tmpdir(), 'osiris-e2b-root-'));
  symlinkSync(path.join(packageRoot, 'node_modules'), path.join(root, 'node_modules'));
  fake = await startFakeE2b({ root, cpuCount: 2, memoryMB: 2048 });
  providerOptions = { template: 'osiris-runtime', limits, root, connection: { apiKey: fake.apiKey, apiUrl: fake.url, sandboxUrl: fake.url } };
  stack = await startTestStack({ moreWorkers: (config) => [startE2bWorkers(config, { provider: createE2bSandboxProvider(providerOptions) })] });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack?.stop();
  await fake?.stop();
});

const compile = (text: string) => compileOml(text, { params: {}, checkTransformSql });

describe('e2b backend through the e2b SDK', () => {
  test('a run creates one sandbox, runs every step in it, downloads byte-identical outputs and kills it', async () => {
    const compiled = await compile(example);
    const outputs = ['top_rated.csv', 'top_rated.parquet'].map((f) => path.join(projectDir, 'output', f));
    const local = await (await startPipelineRun(client, compiled, 'local')).result();
    const localBytes = outputs.map((f) => readFileSync(f));
    fake.calls.length = 0;
    const sandboxed = await (await startPipelineRun(client, compiled, 'e2b')).result();

    assert.deepEqual(outputs.map((f) => readFileSync(f)), localBytes, 'byte-identical output files');
    assert.deepEqual(sandboxed.steps.map((s) => [s.stepId, s.rows]), local.steps.map((s) => [s.stepId, s.rows]));
    assert.equal(fake.sandboxes.size, 1);
    const sandbox = [...fake.sandboxes.values()][0]!;
    assert.equal(sandbox.template, 'osiris-runtime');
    assert.equal(sandbox.metadata.osiris_run, sandboxed.runId);
    assert.ok(sandbox.killed, 'killed when the run ended');
    // Created with the timeout, reconnected (and extended) once per step.
    assert.deepEqual(sandbox.timeouts, [120, ...sandboxed.steps.map(() => 120)]);
    assert.equal(sandbox.commandEnvs.length, sandboxed.steps.length, 'one command per step');
    const extract = sandbox.commandEnvs.filter((env) => Object.keys(env).some((k) => k.startsWith('OSIRIS_CONN_')));
    assert.equal(extract.length, 2, 'the two extract steps got their connection in their environment');
    for (const call of ['GET /v2/sandboxes', 'POST /v2/sandboxes', 'GET /sandboxes/sbx1', 'POST /v2/sandboxes/sbx1/connect', 'POST /files', 'GET /files', 'POST /process.Process/Start', 'DELETE /sandboxes/sbx1']) {
      assert.ok(fake.calls.includes(call), `the SDK called ${call}`);
    }
  });

  test('cancelling the run kills the running command and the sandbox', async () => {
    const slow = endlessPipeline('slow-e2b');
    const handle = await startPipelineRun(client, await compile(slow), 'e2b');
    const sandbox = async () => {
      for (;;) {
        const found = [...fake.sandboxes.values()].find((s) => s.metadata.osiris_run === handle.workflowId && s.running.size > 0);
        if (found) return found;
        await sleep(100);
      }
    };
    const running = await sandbox();
    const pid = [...running.running][0]!.pid!;
    await sleep(500);
    await handle.cancel();
    await assert.rejects(handle.result(), WorkflowFailedError);
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
    assert.ok(!isAlive(pid), 'the command is gone');
    assert.ok(running.killed, 'the sandbox was killed');
  });

  test("the activity's cancellation signal kills the step's command through envd, leaving the sandbox to cleanup", async () => {
    const provider = createE2bSandboxProvider(providerOptions);
    const backend = createSandboxBackend({ provider, projectDir, outputDir: path.join(projectDir, 'output'), runtimeBundle: await testRuntimeBundle() });
    const workspace = await backend.prepare('run-aborted');
    const abort = new AbortController();
    const step = makeStep('endless', 'duckdb.processor', 'transform', { query: 'SELECT count(*) FROM range(100000000000)' });
    const running = backend.executeStep(step, workspace, { resolveConnection: () => assert.fail('no connections'), signal: abort.signal });
    const sandbox = fake.sandboxes.get(workspace.sandboxId!)!;
    while (sandbox.running.size === 0) await sleep(50);
    const pid = [...sandbox.running][0]!.pid!;
    abort.abort(new Error('cancelled'));
    await assert.rejects(running, /cancelled/);
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
    assert.ok(!isAlive(pid), 'the command is gone');
    assert.ok(fake.calls.includes('POST /process.Process/SendSignal'));
    assert.ok(!sandbox.killed, 'the sandbox itself is left to cleanupWorkspace');
    await backend.cleanup(workspace);
    assert.ok(sandbox.killed);
  });

  test('a template smaller than e2b.cpu / e2b.memory_mb is refused and its sandbox killed', async () => {
    const provider = createE2bSandboxProvider({ ...providerOptions, limits: { ...limits, cpu: 8 } });
    await assert.rejects(provider.create('run-too-small'), (e: unknown) => e instanceof OsirisError && e.code === 'CONFIG_INVALID' && /8 \/ e2b.memory_mb/.test(e.message));
    const created = [...fake.sandboxes.values()].find((s) => s.metadata.osiris_run === 'run-too-small')!;
    assert.ok(created.killed);
  });

  test('a retried prepare reuses the run sandbox; without E2B_API_KEY the target says what to set', async () => {
    const provider = createE2bSandboxProvider(providerOptions);
    const first = await provider.create('run-retried');
    const second = await provider.create('run-retried');
    assert.equal(second.id, first.id);
    await provider.kill(first.id);
    const keyless = createE2bSandboxProvider({ ...providerOptions, connection: { apiUrl: fake.url } });
    await assert.rejects(keyless.create('run-x'), /E2B_API_KEY is not set/);
  });
});
