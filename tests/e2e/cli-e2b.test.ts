import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ActivityFailure, ApplicationFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { freePort } from '../../src/client/dev-server.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { osiris } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';

/**
 * `osiris run --target e2b` as a user types it, in embedded mode (the CLI starts its own dev server
 * on this project's ports and runs every worker, exec-e2b included, in-process). With
 * `e2b.backend: process` the steps run in local child processes; with `backend: e2b` and no
 * E2B_API_KEY the run must fail and say what to set, never fall back to local execution.
 */
let projectDir: string;
let port: number;
let temporalYaml: string;
let env: NodeJS.ProcessEnv;
const STEPS = ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet'];
const OUTPUTS = ['top_rated.csv', 'top_rated.parquet'];

const setBackend = (backend: 'process' | 'e2b') => writeFileSync(path.join(projectDir, 'osiris.yaml'), `${temporalYaml}e2b:\n  backend: ${backend}\n`);
const outputBytes = () => OUTPUTS.map((f) => readFileSync(path.join(projectDir, 'output', f)));

before(async () => {
  port = await freePort();
  temporalYaml = `temporal:\n  port: ${port}\n  ui_port: ${await freePort()}\n`;
  projectDir = makeProject({ 'osiris_connections.yaml': 'connections:\n  sqlite:\n    demo:\n      path: ${OSIRIS_E2E_DEMO_DB}\n' });
  setBackend('process');
  copyExample(projectDir);
  // Not E2B: no key may reach the CLI from the environment running the tests.
  env = { OSIRIS_E2E_DEMO_DB: await ensureDemoDatabase(path.join(projectDir, 'demo')), E2B_API_KEY: undefined };
});

after(async () => {
  if (projectDir) await osiris(['server', 'stop'], { cwd: projectDir, env });
});

describe('osiris run --target e2b', () => {
  test('with the process backend: every step printed, outputs byte-identical to a local run, the log says target e2b', async () => {
    const sandboxed = await osiris(['run', 'examples/top-rated-movies.yaml', '--target', 'e2b'], { cwd: projectDir, env, timeoutMs: 180_000 });
    assert.equal(sandboxed.code, 0, `stdout:\n${sandboxed.stdout}\nstderr:\n${sandboxed.stderr}`);
    assert.match(sandboxed.stdout, /target e2b/);
    for (const step of STEPS) assert.match(sandboxed.stdout, new RegExp(`✓ ${step}\\s+\\S+\\s+[\\d,]+ rows`), `progress line for ${step}`);
    assert.match(sandboxed.stdout, /completed in .*: 5 steps, [\d,]+ rows written/);
    for (const file of OUTPUTS) assert.match(sandboxed.stdout, new RegExp(`output/${file.replace('.', '\\.')}`));
    const sandboxBytes = outputBytes();
    assert.ok(sandboxBytes.every((b) => b.length > 0));

    const shown = await osiris(['logs', 'show', 'last'], { cwd: projectDir, env });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /top-rated-movies\s+completed\s+fingerprint \S+\s+target e2b/);
    for (const step of STEPS) assert.match(shown.stdout, new RegExp(`^${step}\\s+\\S+\\s+completed`, 'm'));
    // The run's sandbox directory is gone once the run has ended.
    const sandboxes = path.join(projectDir, '.osiris', 'sandboxes');
    assert.deepEqual(existsSync(sandboxes) ? readdirSync(sandboxes) : [], []);

    const local = await osiris(['run', 'examples/top-rated-movies.yaml', '--target', 'local'], { cwd: projectDir, env });
    assert.equal(local.code, 0, `stdout:\n${local.stdout}\nstderr:\n${local.stderr}`);
    assert.match(local.stdout, /target local/);
    assert.deepEqual(outputBytes(), sandboxBytes, 'the e2b target writes the same bytes as a local run');
    process.stdout.write(`# osiris run timing: --target e2b (process backend) ${sandboxed.ms} ms (cold server), --target local ${local.ms} ms\n`);
  });

  test('with the e2b backend and no E2B_API_KEY: the run fails, naming E2B_API_KEY', async () => {
    setBackend('e2b');
    try {
      const result = await osiris(['run', 'examples/top-rated-movies.yaml', '--target', 'e2b'], { cwd: projectDir, env, timeoutMs: 180_000 });
      const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
      assert.notEqual(result.code, 0, output);
      assert.doesNotMatch(result.stdout, /✓ extract-movies/, 'no step ran anywhere else');

      // The run failed at once (not retried) because of the missing key ...
      const workflowId = /workflow (\S+)/.exec(result.stdout)?.[1];
      assert.ok(workflowId, output);
      const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
      try {
        const failure = await new Client({ connection }).workflow.getHandle(workflowId).result().then(
          () => assert.fail('the run should have failed'),
          (err: unknown) => err,
        );
        assert.ok(failure instanceof WorkflowFailedError && failure.cause instanceof ActivityFailure, String(failure));
        const cause = failure.cause.cause;
        assert.ok(cause instanceof ApplicationFailure, String(cause));
        assert.match(cause.message, /E2B_API_KEY is not set/);
        assert.equal(cause.type, 'CONFIG_INVALID', 'a configuration error, not retried');
      } finally {
        await connection.close();
      }
      // ... and the user is told so.
      assert.match(result.stderr, /E2B_API_KEY/, `the CLI names E2B_API_KEY\n${output}`);
    } finally {
      setBackend('process');
    }
  });
});
