import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { workflowSource } from '../../src/workers/workflow-source.js';

/**
 * Replays every committed history against today's workflow code: a change that would break
 * running workflows (non-determinism) fails here. Record new ones with
 * `OSIRIS_RECORD_HISTORIES=1 npm test -- pipeline-run`.
 */
const dir = path.resolve(import.meta.dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('committed histories exist for every workflow type, including a continued-as-new conversation', () => {
  const types = new Set(files.map((f) => f.split('-')[0]));
  assert.deepEqual([...types].sort(), ['agentTool', 'conversation', 'pipelineRun']);
  const continued = files.filter((f) => readFileSync(path.join(dir, f), 'utf8').includes('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW'));
  assert.ok(continued.some((f) => f.startsWith('conversation')), 'a conversation history that continued as new');
});

for (const file of files) {
  test(`replays ${file}`, async () => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory({ ...workflowSource(), replayName: file }, history);
  });
}
