import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/client/dev-server.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { osiris, repoRoot } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';
import { historyText } from '../support/history-text.js';
import { readRows } from '../support/read-output.js';

/**
 * The CLI as a user runs it: embedded mode (no TEMPORAL_ADDRESS), so `osiris run` starts its own
 * dev server with state in the project's .osiris/ and runs the workers in-process.
 */
let projectDir: string;
let port: number;
const SECRET_DIR = 'secret-path-7f3a9c1e';
let env: NodeJS.ProcessEnv;

before(async () => {
  port = await freePort();
  const uiPort = await freePort();
  projectDir = makeProject({
    'osiris.yaml': `temporal:\n  port: ${port}\n  ui_port: ${uiPort}\n`,
    // The demo database is reached through an environment variable whose value must never reach Temporal.
    'osiris_connections.yaml': 'connections:\n  sqlite:\n    demo:\n      path: ${OSIRIS_E2E_DEMO_DB}\n',
    'broken.yaml': [
      'oml_version: "0.1.0"',
      'name: broken',
      'steps:',
      '  - id: read',
      '    component: sqlite.extractor',
      '    mode: read',
      '    config: { connection: "@sqlite.demo", table: movies }',
      '  - id: save',
      '    component: filesystem.csv_writer',
      '    mode: write',
      '    config: { path: ../../escape.csv }',
      '',
    ].join('\n'),
  });
  copyExample(projectDir);
  const db = await ensureDemoDatabase(path.join(projectDir, SECRET_DIR));
  env = { OSIRIS_E2E_DEMO_DB: db };
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir, env });
});

describe('osiris CLI', () => {
  test('osiris run prints progress per step, the outputs and the Web UI link, and exits 0', async () => {
    const cold = await osiris(['run', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env, timeoutMs: 180_000 });
    assert.equal(cold.code, 0, `stdout:\n${cold.stdout}\nstderr:\n${cold.stderr}`);
    for (const step of ['extract-movies', 'extract-reviews', 'top-rated', 'save-csv', 'save-parquet']) {
      assert.match(cold.stdout, new RegExp(`✓ ${step}\\s+\\S+\\s+[\\d,]+ rows`), `progress line for ${step}`);
    }
    assert.match(cold.stdout, /completed in .*: 5 steps, [\d,]+ rows written/);
    assert.match(cold.stdout, /output\/top_rated\.csv/);
    assert.match(cold.stdout, new RegExp(`web ui   http://localhost:\\d+/namespaces/default/workflows/osiris-run-top-rated-movies-`));
    assert.match(cold.stderr, /Started the Temporal dev server/);
    // The last line points at the run's HTML report.
    const runId = /workflow (\S+)/.exec(cold.stdout)![1]!;
    assert.equal(cold.stdout.trimEnd().split('\n').at(-1), `report   osiris logs html ${runId}`);
    const rows = await readRows(path.join(projectDir, 'output', 'top_rated.parquet'));
    assert.ok(rows.length > 0);

    // Warm: the server from the first run is reused.
    const warm = await osiris(['run', 'examples/top-rated-movies.yaml', '--param', 'min_rating=8.5'], { cwd: projectDir, env });
    assert.equal(warm.code, 0, warm.stderr);
    assert.doesNotMatch(warm.stderr, /Started the Temporal dev server/);
    const fewer = await readRows(path.join(projectDir, 'output', 'top_rated.csv'));
    assert.ok(fewer.length < rows.length && fewer.every((r) => Number(r.avg_rating) > 8.5), 'the param reached the SQL');
    process.stdout.write(`# osiris run timing: cold ${cold.ms} ms, warm ${warm.ms} ms\n`);

    // The run's history holds no connection value (the demo path stands in for a secret).
    const workflowId = runId;
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const history = historyText(await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory());
      assert.match(history, /SELECT movie_id, title, release_year, genre FROM movies/, 'payloads were decoded');
      assert.ok(!history.includes(SECRET_DIR), 'no resolved connection value in the history');
      assert.ok(history.includes('@sqlite.demo'), 'connections travel as references');
    } finally {
      await connection.close();
    }
  });

  test('a broken pipeline exits 2 with the problem, and nothing runs', async () => {
    const result = await osiris(['run', 'broken.yaml'], { cwd: projectDir, env });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /broken\.yaml:11:\d+\s+error\s+.*leaves the output directory|broken\.yaml:11:\d+\s+error/);
    assert.match(result.stderr, /steps\[1\]\.config\.path/);
    assert.match(result.stderr, /nothing was run/);
    assert.ok(!existsSync(path.join(projectDir, '..', 'escape.csv')));
  });

  test('a legacy extract/transform/load file runs after an upgrade warning', async () => {
    copyFileSync(path.join(repoRoot, 'tests', 'fixtures', 'oml', 'legacy.yaml'), path.join(projectDir, 'legacy.yaml'));
    const result = await osiris(['run', 'legacy.yaml'], { cwd: projectDir, env });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /warning .*legacy-format/s);
    assert.match(result.stdout, /✓ save\s/);
    assert.ok(existsSync(path.join(projectDir, 'output', 'output', 'top_rated.parquet')));
  });

  test('validate exits 0 / 2 and reports JSON; compile prints the fingerprint', async () => {
    const ok = await osiris(['validate', 'examples/top-rated-movies.yaml'], { cwd: projectDir, env });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const bad = await osiris(['validate', 'broken.yaml', '--json'], { cwd: projectDir, env });
    assert.equal(bad.code, 2);
    const report = JSON.parse(bad.stdout) as { valid: boolean; problems: { path: string }[] };
    assert.equal(report.valid, false);
    assert.deepEqual(report.problems.map((p) => p.path), ['steps[1].config.path']);
    const compiled = await osiris(['compile', 'examples/top-rated-movies.yaml', '--json'], { cwd: projectDir, env });
    assert.equal(compiled.code, 0, compiled.stderr);
    const { manifest, fingerprint } = JSON.parse(compiled.stdout) as { manifest: string; fingerprint: string };
    assert.match(fingerprint, /^[0-9a-f]{64}$/);
    assert.ok(existsSync(manifest));
  });

  test('components and connections commands never print secrets', async () => {
    const list = await osiris(['components', 'list'], { cwd: projectDir, env });
    assert.equal(list.code, 0);
    assert.match(list.stdout, /duckdb\.processor/);
    const show = await osiris(['components', 'show', 'filesystem.csv_writer'], { cwd: projectDir, env });
    assert.match(show.stdout, /path\s+string\s+required/);
    const conns = await osiris(['connections', 'list'], { cwd: projectDir, env });
    assert.match(conns.stdout, /@sqlite\.demo\s+path=\$\{OSIRIS_E2E_DEMO_DB\}/);
    assert.ok(!conns.stdout.includes(SECRET_DIR));
    const tested = await osiris(['connections', 'test'], { cwd: projectDir, env });
    assert.equal(tested.code, 0, tested.stdout);
    assert.match(tested.stdout, /ok\s+@sqlite\.demo/);
    assert.ok(!tested.stdout.includes(SECRET_DIR));
    const missing = await osiris(['connections', 'test', '@sqlite.nope'], { cwd: projectDir, env });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /Connection @sqlite\.nope is not defined/);
  });
});
