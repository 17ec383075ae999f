import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/cli.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

const run = promisify(execFile);

/**
 * The published surface: `npm pack`, install the tarball into a fresh project (dependencies from
 * the registry, as a user gets them), then use only the package's exports from plain JavaScript.
 */
let temporal: TestTemporal;
let consumer: string;

before(async () => {
  temporal = await startTestTemporal();
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'osiris-pack-'));
  await run('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  consumer = mkdtempSync(path.join(os.tmpdir(), 'osiris-consumer-'));
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: consumer, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 });
});

after(async () => {
  await temporal?.stop();
});

test('the installed tarball: the plugin runs a pipeline from OML text, and the osiris bin works', { timeout: 10 * 60_000 }, async () => {
  writeFileSync(
    path.join(consumer, 'pipeline.yaml'),
    ['oml_version: "0.1.0"', 'name: directors-by-country', 'steps:', '  - id: directors', '    component: sqlite.extractor', '    mode: read',
      '    config: { connection: "@sqlite.demo", table: directors }', '  - id: by-country', '    component: duckdb.processor', '    mode: transform',
      '    config: { query: "SELECT nationality, COUNT(*) AS n FROM df_directors GROUP BY nationality ORDER BY n DESC, nationality" }',
      '  - id: save', '    component: filesystem.json_writer', '    mode: write', '    config: { path: by_country.json, format: array }', ''].join('\n'),
  );
  writeFileSync(
    path.join(consumer, 'main.mjs'),
    `import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { osirisPlugin, CONTROL_TASK_QUEUE } from 'osiris-temporal';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const address = process.argv[2];
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address }),
  taskQueue: CONTROL_TASK_QUEUE,
  plugins: [osirisPlugin({ projectDir: process.cwd() })],
});
const running = worker.run();
const client = new Client({ connection: await Connection.connect({ address }) });
const result = await client.workflow.execute('pipelineRun', {
  taskQueue: CONTROL_TASK_QUEUE,
  workflowId: 'consumer-' + Date.now(),
  args: [{ oml: await readFile('pipeline.yaml', 'utf8') }],
});
console.log(JSON.stringify(result));
worker.shutdown();
await running;
await client.connection.close();
`,
  );
  const { stdout } = await run(process.execPath, ['main.mjs', temporal.address], { cwd: consumer, timeout: 5 * 60_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { fingerprint: string; steps: { stepId: string; rows: number }[]; outputs: { path: string }[] };
  assert.match(result.fingerprint, /^[0-9a-f]{64}$/);
  assert.deepEqual(result.steps.map((s) => s.stepId), ['directors', 'by-country', 'save']);
  assert.equal(result.steps[0]!.rows, 20);
  assert.equal(result.outputs[0]!.path, path.join(consumer, 'output', 'by_country.json'));

  const bin = path.join(consumer, 'node_modules', '.bin', 'osiris');
  // picocolors colours output whenever CI is set; these assertions read plain text.
  const env = { ...process.env, NO_COLOR: '1' };
  const validated = await run(bin, ['validate', 'pipeline.yaml'], { cwd: consumer, env });
  assert.match(validated.stdout, /valid pipeline\.yaml/);
  const components = await run(bin, ['components', 'list'], { cwd: consumer, env });
  assert.match(components.stdout, /mysql\.extractor/);
});
