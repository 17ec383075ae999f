import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { osirisPlugin } from '../../src/index.js';
import { installRuntimeLogging } from '../../src/workers/runtime-logging.js';
import { repoRoot } from '../support/cli.js';
import { historyText } from '../support/history-text.js';
import { makeProject } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';

/** A user's own worker and client with the plugin: with codec keys in the project's .env, both encrypt. */
let temporal: TestTemporal;

before(async () => {
  temporal = await startTestTemporal();
});

after(async () => {
  await temporal?.stop();
});

test('the plugin gives the user worker and client the codec: the history holds ciphertext, the result is clear', async () => {
  installRuntimeLogging('ERROR');
  const projectDir = makeProject({ '.env': `OSIRIS_CODEC_KEYS=app=${randomBytes(32).toString('base64')}\n` });
  const plugin = osirisPlugin({ projectDir });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue: 'my-app', plugins: [plugin] });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, plugins: [plugin] });
    const oml = readFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml'), 'utf8');
    const handle = await client.workflow.start('pipelineRun', { taskQueue: 'my-app', workflowId: `plugin-codec-${Date.now()}`, args: [{ oml }] });
    const result = (await handle.result()) as { steps: { stepId: string }[] };
    assert.equal(result.steps.length, 5);

    const history = await new Client({ connection }).workflow.getHandle(handle.workflowId).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    assert.equal(Buffer.from(input.metadata!.encoding!).toString(), 'binary/encrypted');
    assert.equal(Buffer.from(input.metadata!['encryption-key-id']!).toString(), 'app');
    const text = historyText(history);
    for (const marker of ['FROM movies', 'release_year', 'min_rating']) assert.ok(!text.includes(marker), `${marker} in the raw history`);
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
  }
});
