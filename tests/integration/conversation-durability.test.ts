import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { approveAndWait } from '../../src/client/conversation-client.js';
import { stateQuery, transcriptQuery } from '../../src/workflows/messages.js';
import { repoRoot } from '../support/cli.js';
import { say, startSession, waitForState } from '../support/conversation.js';
import { maybeRecordHistory } from '../support/histories.js';
import { startTestStack, type StackOptions, type TestStack } from '../support/stack.js';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A stack whose stop runs with the file's other cleanups (its worker processes stop first). */
async function stackOf(options: StackOptions): Promise<TestStack> {
  const stack = await startTestStack(options);
  cleanups.push(() => stack.stop());
  return stack;
}

/** `osiris worker` as its own OS process, the way a user runs workers for a shared server. */
function spawnWorker(projectDir: string, address: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'worker'], {
    cwd: projectDir,
    env: { ...process.env, TEMPORAL_ADDRESS: address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') process.stderr.write(`worker exited ${code}: ${stderr}\n`);
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
  return child;
}

describe('conversation durability', () => {
  test('a worker killed after discovery, before approval: a new worker carries on with the state intact', async () => {
    const { temporal, client, projectDir } = await stackOf({ workers: false });
    const first = spawnWorker(projectDir, temporal.address);
    const handle = await startSession(client);
    await say(handle, 'find director Ava DuVernay');
    const proposed = await say(handle, 'export her movies with their average rating to csv');
    assert.ok(proposed.pipeline, proposed.text);

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    spawnWorker(projectDir, temporal.address);

    const state = await waitForState(handle, (s) => s.pending !== undefined);
    assert.equal(state.pending!.fingerprint, proposed.pipeline.fingerprint);
    const outcome = await approveAndWait(handle, { by: 'ada' });
    assert.ok(outcome.accepted);
    assert.equal(outcome.run.status, 'completed', outcome.run.error);
    const transcript = await handle.query(transcriptQuery);
    assert.deepEqual(
      transcript.filter((e) => e.role === 'user').map((e) => e.text),
      ['find director Ava DuVernay', 'export her movies with their average rating to csv'],
    );
  });

  test('continue-as-new carries the transcript and the pending pipeline', async () => {
    // A low threshold makes the server suggest continue-as-new after the first turn.
    const { client } = await stackOf({ dynamicConfig: ['limit.historyCount.suggestContinueAsNew=40'] });
    const handle = await startSession(client);
    await say(handle, 'find director Ava DuVernay');
    await waitForState(handle, (s) => s.generation >= 1);
    const proposed = await say(handle, 'export her movies with their average rating to csv');
    assert.ok(proposed.pipeline, proposed.text);
    // More turns until the conversation continues as new again, this time with a pipeline pending.
    const generation = (await handle.query(stateQuery)).generation;
    let turns = 2;
    while ((await handle.query(stateQuery)).generation === generation) {
      assert.ok(turns < 8, 'continue-as-new should have been suggested by now');
      await say(handle, 'list tables');
      turns++;
      await new Promise((r) => setTimeout(r, 300));
    }
    const later = await waitForState(handle, (s) => s.generation > generation);
    assert.equal(later.pending?.fingerprint, proposed.pipeline.fingerprint, 'the pending pipeline survived continue-as-new');
    assert.equal(later.status, 'awaiting_approval');
    assert.equal(later.turns, turns);
    const transcript = await handle.query(transcriptQuery);
    assert.match(transcript[0]!.text, /Ava DuVernay/);
    assert.match(transcript[1]!.text, /Selma \(2014\)/);

    const outcome = await approveAndWait(handle, { by: 'ada' });
    assert.ok(outcome.accepted);
    assert.equal(outcome.run.status, 'completed', outcome.run.error);
    await maybeRecordHistory(client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId), 'conversation-continued-as-new');
  });
});
