import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/client/dev-server.js';
import { osiris } from '../support/cli.js';
import { copyExample, makeProject } from '../support/project.js';

/** Temporal Schedules through the CLI, in embedded mode: create, list, trigger (followed to the end), pause, delete. */
let projectDir: string;
let port: number;

before(async () => {
  port = await freePort();
  projectDir = makeProject({ 'osiris.yaml': `temporal:\n  port: ${port}\n  ui_port: ${await freePort()}\n` });
  copyExample(projectDir);
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir });
});

test('a schedule triggered by `trigger` runs the pipeline; the run carries the schedule id', async () => {
  // A cron far from now: only `trigger` starts runs during the test.
  const created = await osiris(['schedule', 'create', 'examples/top-rated-movies.yaml', '--cron', '0 3 29 2 *', '--param', 'min_rating=8.5'], { cwd: projectDir, timeoutMs: 180_000 });
  assert.equal(created.code, 0, created.stdout + created.stderr);
  assert.match(created.stdout, /schedule osiris-schedule-top-rated-movies/);
  assert.match(created.stdout, /overlap skip/);

  const duplicate = await osiris(['schedule', 'create', 'examples/top-rated-movies.yaml', '--cron', '0 6 * * *'], { cwd: projectDir });
  assert.equal(duplicate.code, 2, duplicate.stderr);
  assert.match(duplicate.stderr, /delete it first or pass --id/);

  const listed = await osiris(['schedule', 'list'], { cwd: projectDir });
  assert.match(listed.stdout, /osiris-schedule-top-rated-movies\s+top-rated-movies\s+0 3 29 2 \*\s+active/);

  const triggered = await osiris(['schedule', 'trigger', 'osiris-schedule-top-rated-movies'], { cwd: projectDir });
  assert.equal(triggered.code, 0, triggered.stdout + triggered.stderr);
  assert.match(triggered.stdout, /✓ save-parquet/);
  assert.match(triggered.stdout, /completed in/);
  const workflowId = /started (\S+)/.exec(triggered.stdout)![1]!;
  assert.match(workflowId, /^osiris-run-top-rated-movies-[0-9a-f]{8}-/);

  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  try {
    const client = new Client({ connection });
    const description = await client.workflow.getHandle(workflowId).describe();
    const scheduledBy = description.searchAttributes.TemporalScheduledById as string[] | undefined;
    assert.deepEqual(scheduledBy, ['osiris-schedule-top-rated-movies']);
    assert.equal(description.status.name, 'COMPLETED');
  } finally {
    await connection.close();
  }

  // Scheduled runs are ordinary runs: they show in the run log.
  const logs = await osiris(['logs', 'list', '--json'], { cwd: projectDir });
  assert.equal(logs.code, 0, logs.stderr);
  assert.ok((JSON.parse(logs.stdout) as { runId: string }[]).some((r) => r.runId === workflowId), logs.stdout);

  const paused = await osiris(['schedule', 'pause', 'osiris-schedule-top-rated-movies', '--note', 'maintenance'], { cwd: projectDir });
  assert.equal(paused.code, 0, paused.stderr);
  assert.match((await osiris(['schedule', 'list'], { cwd: projectDir })).stdout, /paused/);
  const deleted = await osiris(['schedule', 'delete', 'osiris-schedule-top-rated-movies'], { cwd: projectDir });
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await osiris(['schedule', 'trigger', 'osiris-schedule-top-rated-movies'], { cwd: projectDir });
  assert.equal(gone.code, 2, gone.stdout + gone.stderr);
  assert.match(gone.stderr, /No schedule "osiris-schedule-top-rated-movies"/);
});
