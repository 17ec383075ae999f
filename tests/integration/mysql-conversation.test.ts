import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { stringify } from 'yaml';
import { approveAndWait } from '../../src/client/conversation-client.js';
import { osiris } from '../support/cli.js';
import { say, startSession } from '../support/conversation.js';
import { historyText } from '../support/history-text.js';
import { loadDemoIntoMysql } from '../support/load-demo-into-mysql.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { writeProjectFiles } from '../support/project.js';
import { readRows } from '../support/read-output.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** The conversation's discovery and search on MySQL: the movies database loaded into a real MariaDB. */
let mariadb: TestMariadb;
let stack: TestStack;
let client: Client;
let projectDir: string;
const env = { OSIRIS_TEST_MYSQL_PASSWORD: '' };

before(async () => {
  mariadb = await startTestMariadb();
  stack = await startTestStack({
    prepare: async (dir) => {
      await loadDemoIntoMysql(mariadb, 'movies', path.join(dir, '.osiris', 'demo'));
      const { password, ...values } = mariadb.values('movies');
      env.OSIRIS_TEST_MYSQL_PASSWORD = String(password);
      process.env.OSIRIS_TEST_MYSQL_PASSWORD = env.OSIRIS_TEST_MYSQL_PASSWORD;
      const connections = { connections: { mysql: { movies: { ...values, password: '${OSIRIS_TEST_MYSQL_PASSWORD}' } } } };
      writeProjectFiles(dir, { 'osiris_connections.yaml': stringify(connections) });
    },
  });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack?.stop();
  await mariadb?.stop();
});

describe('the agent on MySQL', () => {
  test('find, follow keys, export and run against MariaDB; no password in the history', async () => {
    const handle = await startSession(client, { connection: '@mysql.movies', sampleSize: 10, maxStepsPerTurn: 12 });
    const found = await say(handle, 'find director Ava DuVernay');
    assert.match(found.text, /directors/);
    assert.match(found.text, /1972/);
    assert.match(found.text, /Selma \(2014\)/);
    const proposed = await say(handle, 'export her movies with their average rating to parquet');
    assert.ok(proposed.pipeline, proposed.text);
    assert.match(proposed.pipeline.oml, /component: mysql\.extractor/);
    const outcome = await approveAndWait(handle, { by: 'ada' });
    assert.ok(outcome.accepted);
    assert.equal(outcome.run.status, 'completed', outcome.run.error);
    const rows = await readRows(outcome.run.outputs!.find((o) => o.endsWith('.parquet'))!, 'title');
    assert.deepEqual(rows.map((r) => r.title), ['13th', 'A Wrinkle in Time', 'Selma']);
    assert.ok(!historyText(await handle.fetchHistory()).includes(env.OSIRIS_TEST_MYSQL_PASSWORD));
  });

  test('osiris discover lists the MySQL tables and describes one with its keys', async () => {
    const tables = await osiris(['discover', '@mysql.movies', '--json'], { cwd: projectDir, env });
    assert.equal(tables.code, 0, tables.stderr);
    const listed = JSON.parse(tables.stdout) as { name: string; rowEstimate?: number }[];
    assert.deepEqual(listed.map((t) => t.name).sort(), ['actors', 'directors', 'movie_actors', 'movies', 'reviews']);
    const movies = await osiris(['discover', '@mysql.movies', '--table', 'movies'], { cwd: projectDir, env });
    assert.equal(movies.code, 0, movies.stderr);
    assert.match(movies.stdout, /director_id .* -> directors\(director_id\)/);
    assert.match(movies.stdout, /Selma/);
    assert.ok(!movies.stdout.includes(env.OSIRIS_TEST_MYSQL_PASSWORD));
  });
});
