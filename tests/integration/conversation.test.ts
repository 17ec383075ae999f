import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import Database from 'better-sqlite3';
import { approveAndWait } from '../../src/client/conversation-client.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { readRunLog, runDir } from '../../src/runtime/run-log.js';
import { approveSignal, endSignal, pipelineQuery, stateQuery, transcriptQuery } from '../../src/workflows/messages.js';
import { say, startSession, waitForState } from '../support/conversation.js';
import { historyText } from '../support/history-text.js';
import { maybeRecordHistory } from '../support/histories.js';
import { readRows } from '../support/read-output.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: Client;
let projectDir: string;
const SECRET_DIR = 'conv-secret-2b7e151628aed2a6';

before(async () => {
  stack = await startTestStack({
    files: { 'osiris_connections.yaml': 'connections:\n  sqlite:\n    demo:\n      path: ${OSIRIS_CONV_DEMO_DB}\n' },
    // The demo database is reached through a path that stands in for a secret: it must never reach the history.
    prepare: async (dir) => {
      process.env.OSIRIS_CONV_DEMO_DB = await ensureDemoDatabase(path.join(dir, SECRET_DIR));
    },
  });
  ({ client, projectDir } = stack);
});

after(() => stack?.stop());

function expectedMovies(): { title: string; release_year: number; avg_rating: number }[] {
  const db = new Database(process.env.OSIRIS_CONV_DEMO_DB!, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT m.title, m.release_year, AVG(r.rating) AS avg_rating FROM movies m
         JOIN directors d USING (director_id) LEFT JOIN reviews r USING (movie_id)
         WHERE d.name = 'Ava DuVernay' GROUP BY m.movie_id ORDER BY m.title`,
      )
      .all() as { title: string; release_year: number; avg_rating: number }[];
  } finally {
    db.close();
  }
}

describe('the conversation workflow', () => {
  test('finds Ava DuVernay, proposes an export, runs it on approval by a raw signal', async () => {
    const handle = await startSession(client);
    const found = await say(handle, 'find director Ava DuVernay');
    assert.match(found.text, /directors/);
    assert.match(found.text, /1972/);
    assert.match(found.text, /American/);
    assert.match(found.text, /\b8\b/);
    assert.match(found.text, /Selma \(2014\)/);
    assert.equal(found.status, 'awaiting_input');

    const proposed = await say(handle, 'export her movies with their average rating to csv');
    assert.ok(proposed.pipeline, proposed.text);
    assert.match(proposed.pipeline.fingerprint, /^[0-9a-f]{64}$/);
    assert.match(proposed.text, new RegExp(proposed.pipeline.fingerprint.slice(0, 12)));
    const state = await handle.query(stateQuery);
    assert.equal(state.status, 'awaiting_approval');
    assert.equal(state.pending?.fingerprint, proposed.pipeline.fingerprint);

    // A stale fingerprint is refused and recorded; the pipeline stays pending.
    await handle.signal(approveSignal, { fingerprint: 'f'.repeat(64), by: 'mallory' });
    const refused = await waitForState(handle, (s) => s.approvals.length === 1);
    assert.equal(refused.approvals[0]!.accepted, false);
    assert.match(refused.approvals[0]!.reason!, /not the pending pipeline/);
    assert.equal((await handle.query(pipelineQuery))?.fingerprint, proposed.pipeline.fingerprint);

    // Approval through the raw signal, as any Temporal client would send it.
    await client.workflow.getHandle(handle.workflowId).signal('approve', { fingerprint: proposed.pipeline.fingerprint, by: 'ada' });
    const done = await waitForState(handle, (s) => s.runs.length === 1 && s.runs[0]!.status !== 'running');
    const run = done.runs[0]!;
    assert.equal(run.status, 'completed', run.error);
    assert.equal(run.approvedBy, 'ada');
    const csv = run.outputs!.find((o) => o.endsWith('.csv'))!;
    const rows = await readRows(csv, 'title');
    const expected = expectedMovies();
    assert.deepEqual(rows.map((r) => r.title), expected.map((e) => e.title));
    rows.forEach((r, i) => assert.ok(Math.abs(Number(r.avg_rating) - expected[i]!.avg_rating) < 0.01, `${r.title}`));
    assert.equal(done.status, 'awaiting_input');
    const transcript = await handle.query(transcriptQuery);
    assert.ok(transcript.some((e) => e.role === 'system' && /rows written/.test(e.text)));

    // Approving again with nothing pending is refused.
    const again = await approveAndWait(handle, { fingerprint: proposed.pipeline.fingerprint, by: 'ada' });
    assert.equal(again.accepted, false);

    // The run is a child of the conversation, and the history carries no connection value.
    const child = await client.workflow.getHandle(run.workflowId).describe();
    assert.equal(child.parentExecution?.workflowId, handle.workflowId);
    // The child run saved the OML that was proposed and approved, for `osiris logs html`.
    const saved = (await readRunLog(runDir(path.join(projectDir, '.osiris'), run.workflowId))).saved;
    assert.equal(saved?.fingerprint, proposed.pipeline.fingerprint);
    assert.equal(saved?.oml, proposed.pipeline.oml);
    assert.match(saved.oml, /^oml_version:/m);
    await handle.signal(endSignal);
    await handle.result();
    const text = historyText(await handle.fetchHistory()) + historyText(await client.workflow.getHandle(run.workflowId).fetchHistory());
    assert.match(text, /Ava DuVernay/);
    assert.ok(!text.includes(SECRET_DIR), 'no resolved connection value in the histories');
    await maybeRecordHistory(handle, 'conversation-ava-duvernay');
  });

  test('a bad SQL: statement gives an error reply, and the next message works', async () => {
    const handle = await startSession(client);
    const bad = await say(handle, 'SQL: SELEC title FROM movies');
    assert.match(bad.text, /error|failed/i);
    const good = await say(handle, "SQL: SELECT title, release_year FROM movies WHERE release_year > 2010 AND title LIKE 'S%' ORDER BY title");
    assert.match(good.text, /Selma/);
    const refusedWrite = await say(handle, 'SQL: DELETE FROM movies');
    assert.match(refusedWrite.text, /read-only|refused/i);
    await handle.signal(endSignal);
  });

  test('a rejected pipeline can be revised in the same session', async () => {
    const handle = await startSession(client);
    const first = await say(handle, 'export table movies to csv');
    assert.ok(first.pipeline, first.text);
    await client.workflow.getHandle(handle.workflowId).signal('reject', { reason: 'parquet please', by: 'ada' });
    await waitForState(handle, (s) => !s.pending);
    const second = await say(handle, 'export table movies to parquet');
    assert.ok(second.pipeline);
    assert.notEqual(second.pipeline.fingerprint, first.pipeline.fingerprint);
    assert.equal((await handle.query(stateQuery)).status, 'awaiting_approval');
    await handle.signal(endSignal);
  });

  test('tool results in the history stay within the sample size', async () => {
    const handle = await startSession(client, { connection: '@sqlite.demo', sampleSize: 3, maxStepsPerTurn: 12 });
    await say(handle, 'SQL: SELECT * FROM reviews');
    await say(handle, 'sample reviews');
    await handle.signal(endSignal);
    await handle.result();
    const history = await handle.fetchHistory();
    let toolResults = 0;
    for (const event of history.events ?? []) {
      const payload = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
      if (!payload?.data) continue;
      const result = JSON.parse(Buffer.from(payload.data).toString('utf8')) as { rows?: { rows: unknown[] }; content?: string };
      if (!result.rows) continue;
      toolResults++;
      assert.ok(result.rows.rows.length <= 3, `rows: ${result.rows.rows.length}`);
      const content = JSON.parse(result.content!) as { rows?: unknown[] };
      assert.ok((content.rows ?? []).length <= 3);
    }
    assert.ok(toolResults >= 2, 'both tools returned rows');
  });

  test('a message while another is answered, an empty one, or after the end is refused', async () => {
    const handle = await startSession(client);
    await assert.rejects(say(handle, '   '), /empty/);
    await handle.signal(endSignal);
    await handle.result();
    await assert.rejects(say(handle, 'hello'));
  });
});
