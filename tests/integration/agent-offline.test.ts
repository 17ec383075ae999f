/**
 * The agent end to end below Temporal: the real loop, the real offline planner and the real tools
 * against the bundled demo database, and the proposed pipeline run step by step with the runtime.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runAgentTurn } from '../../src/agent/agent-loop.js';
import { openDiscoveryCache, type DiscoveryCache } from '../../src/agent/discovery-cache.js';
import { executeTool, type ToolContext } from '../../src/agent/execute-tool.js';
import { createOfflineProvider } from '../../src/agent/providers/offline.js';
import type { AgentSettings, ChatMessage, ToolCall, TurnOutcome } from '../../src/agent/types.js';
import { createConnectionResolver } from '../../src/connections/resolver.js';
import { openDiscovery } from '../../src/connectors/families.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { OsirisError } from '../../src/errors.js';
import { compileOml } from '../../src/oml/compile.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';
import { createWorkspace } from '../../src/dataplane/workspace.js';
import { readRows } from '../support/read-output.js';

const settings: AgentSettings = { connection: '@sqlite.demo', sampleSize: 10, maxStepsPerTurn: 12 };

let root: string;
let projectDir: string;
let demoFile: string;
const caches: DiscoveryCache[] = [];

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'osiris-agent-'));
  projectDir = path.join(root, 'project');
  demoFile = await ensureDemoDatabase(path.join(projectDir, '.osiris', 'demo'));
});

after(async () => {
  for (const cache of caches) cache.close();
  await rm(root, { recursive: true, force: true });
});

function toolContext(overrides: Partial<ToolContext> = {}, cacheOptions: { file?: string; now?: () => number } = {}): ToolContext {
  const cache = openDiscoveryCache(path.join(projectDir, '.osiris', cacheOptions.file ?? 'discovery.sqlite'), { now: cacheOptions.now });
  caches.push(cache);
  return {
    settings,
    resolveConnection: createConnectionResolver({ projectDir, stateDir: path.join(projectDir, '.osiris') }),
    openDiscovery,
    cache,
    compile: (text) => compileOml(text, { checkTransformSql }),
    ...overrides,
  };
}

/** A conversation: each `say` is one turn of the real loop; history carries over like in the workflow. */
function conversation(ctx: ToolContext = toolContext(), maxSteps = settings.maxStepsPerTurn) {
  const provider = createOfflineProvider();
  let history: ChatMessage[] = [];
  return {
    async say(userText: string): Promise<TurnOutcome> {
      const outcome = await runAgentTurn(
        { history, userText, maxSteps },
        { complete: (messages) => provider.complete({ system: '', messages, tools: [] }, {}), executeTool: (call) => executeTool(call, ctx) },
      );
      history = [...history, ...outcome.messages];
      return outcome;
    },
  };
}

const toolNames = (outcome: TurnOutcome) => outcome.toolResults.map((r) => r.name);
const call = (name: ToolCall['name'], args: Record<string, unknown>): ToolCall => ({ id: 'call_1', name, arguments: args });

describe('offline agent on the demo database', () => {
  it('finds a director, follows keys to her movies, and exports them with their average rating', async () => {
    const chat = conversation();
    const found = await chat.say('find director Ava DuVernay');
    for (const tool of ['list_tables', 'search_data', 'describe_table', 'preview_sql'] as const) assert.ok(toolNames(found).includes(tool), `${tool} in ${toolNames(found).join(', ')}`);
    assert.ok(found.toolResults.every((r) => r.ok), found.reply);
    assert.match(found.reply, /`directors`/);
    assert.match(found.reply, /birth_year: 1972/);
    assert.match(found.reply, /nationality: American/);
    assert.match(found.reply, /awards: 8/);
    assert.match(found.reply, /Selma \(2014\)/);
    assert.match(found.reply, /export their movies with their average rating to csv/);

    const exported = await chat.say('export her movies with their average rating to csv');
    const pipeline = exported.pipeline;
    assert.ok(pipeline, exported.reply);
    assert.ok(exported.reply.includes(pipeline.fingerprint));
    assert.match(exported.reply, /osiris approve/);
    assert.match(String(pipeline.manifest.steps[0]?.config.query), /LEFT JOIN reviews/, 'unreviewed movies stay, with no average');

    const outputDir = path.join(root, 'output');
    const ctx = {
      workspaceDir: await createWorkspace(path.join(root, 'runs'), 'agent-export'),
      projectDir,
      outputDir,
      resolveConnection: createConnectionResolver({ projectDir, stateDir: path.join(projectDir, '.osiris') }),
    };
    for (const step of pipeline.manifest.steps) await executeStep(step, ctx);
    const written = await readRows(path.join(outputDir, `${pipeline.name}.csv`), 'title');

    const db = new Database(demoFile, { readonly: true });
    const expected = db
      .prepare(
        `SELECT m.title, AVG(r.rating) AS avg_rating FROM movies m LEFT JOIN reviews r ON r.movie_id = m.movie_id
         WHERE m.director_id = 1 GROUP BY m.movie_id ORDER BY m.title`,
      )
      .all() as { title: string; avg_rating: number }[];
    db.close();
    assert.equal(written.length, expected.length);
    assert.ok(expected.length >= 3);
    for (const [i, row] of expected.entries()) {
      assert.equal(written[i]?.title, row.title);
      assert.ok(Math.abs(Number(written[i]?.avg_rating) - row.avg_rating) < 1e-9, `${row.title}: ${String(written[i]?.avg_rating)} vs ${row.avg_rating}`);
    }
  });

  it('runs SQL: directly, reports a bad query with a hint, and keeps going', async () => {
    const chat = conversation();
    const good = await chat.say('SQL: SELECT title, release_year FROM movies WHERE release_year > 2010');
    assert.deepEqual(toolNames(good), ['preview_sql']);
    assert.deepEqual(good.rows?.columns, ['title', 'release_year']);
    assert.match(good.reply, /\| Selma \| 2014 \|/);
    assert.match(good.reply, /export this to csv/);

    const bad = await chat.say('SQL: SELEC x');
    assert.equal(bad.toolResults[0]?.ok, false);
    assert.match(bad.reply, /syntax error/);
    assert.match(bad.reply, /Hint:/);

    const next = await chat.say('SQL: SELECT COUNT(*) AS n FROM directors');
    assert.match(next.reply, /\| 20 \|/);
  });

  it('lists, describes and samples tables', async () => {
    const chat = conversation();
    assert.match((await chat.say('list tables')).reply, /- movies: 72 rows/);
    const described = await chat.say('describe movies');
    assert.match(described.reply, /movies\.director_id -> directors\.director_id/);
    const sampled = await chat.say('sample reviews');
    assert.equal(sampled.rows?.rows.length, settings.sampleSize);
  });

  it('asks who "her" is when nothing was found yet, and FAST: takes the best guess instead', async () => {
    const asked = await conversation().say('export her movies to csv');
    assert.equal(asked.pipeline, undefined);
    assert.match(asked.reply, /Whose movies\?/);
    const guessed = await conversation().say('FAST: export her movies to csv');
    assert.ok(guessed.pipeline, guessed.reply);
    assert.match(String(guessed.pipeline.manifest.steps[0]?.config.query), /FROM movies t0$/);
    assert.match(guessed.reply, /Not used \(I could not place them\): "a pronoun/);
  });

  it('exports a whole table to parquet and the last query to json', async () => {
    const chat = conversation();
    const table = await chat.say('export table reviews to parquet');
    assert.equal(table.pipeline?.manifest.steps.at(-1)?.component, 'filesystem.parquet_writer');
    await chat.say('SQL: SELECT name FROM actors WHERE nationality = \'Irish\'');
    const query = await chat.say('export this to json');
    assert.equal(query.pipeline?.manifest.steps[0]?.config.query, "SELECT name FROM actors WHERE nationality = 'Irish'");
  });

  it('asks about the words it cannot place instead of ignoring them, and names the llm.provider setting for requests it cannot read at all', async () => {
    const outcome = await conversation().say('what was the best year for comedies?');
    assert.equal(outcome.pipeline, undefined);
    // "comedies" is the genre Comedy (its singular is searched too); "best year" says no measure: asked, not guessed.
    assert.match(outcome.reply, /except "best year \(best by what\?\)"/);
    assert.match(outcome.reply, /FAST:/);
    const unreadable = await conversation().say('tell me a joke');
    assert.equal(unreadable.pipeline, undefined);
    assert.match(unreadable.reply, /llm\.provider: openai/);
    assert.match(unreadable.reply, /ANTHROPIC_API_KEY/);
  });

  it('asks which row is meant when several match and none exactly; FAST: picks one and says so', async () => {
    const asked = await conversation().say('find Lady');
    assert.match(asked.reply, /Several rows match "Lady", none exactly/);
    assert.match(asked.reply, /"Lady Bird"/);
    assert.match(asked.reply, /"Portrait of a Lady on Fire"/);
    assert.ok(!toolNames(asked).includes('preview_sql'), 'nothing is followed before the user chooses');
    const picked = await conversation().say('FAST: find Lady');
    assert.match(picked.reply, /I picked the one above \(FAST:\)/);
  });

  it('follows a link table to the rows on its other side, named by their label with the link qualifier', async () => {
    const chat = conversation();
    const found = await chat.say('find actor Oprah Winfrey');
    assert.match(found.reply, /movies \(via movie_actors\): .*Selma \(Annie Lee Cooper\)/);
    assert.match(found.reply, /A Wrinkle in Time \(Mrs\. Which\)/);
    assert.doesNotMatch(found.reply, /movie_actors \(actor_id/, 'never the link rows');
    // "her movies" then goes through the link table too.
    const exported = await chat.say('export the titles of her movies to csv');
    assert.match(String(exported.pipeline?.manifest.steps[0]?.config.query), /JOIN movie_actors/, exported.reply);
  });

  it('describes a table named loosely ("films" -> movies) and says so; previews "5 rows of film"', async () => {
    const described = await conversation().say('describe films');
    assert.match(described.reply, /There is no table `films`; did you mean `movies`\?/);
    assert.match(described.reply, /movies\.director_id -> directors\.director_id/);
    const rows = await conversation().say('show me 5 rows of film');
    assert.equal(rows.rows?.rows.length, 5, rows.reply);
  });

  it('a country finds its people\'s adjective in the data ("from Ireland" -> nationality = \'Irish\'), without asking', async () => {
    const exported = await conversation().say('export the names of actors from Ireland to csv');
    const query = String(exported.pipeline?.manifest.steps[0]?.config.query);
    assert.match(query, /nationality = 'Irish'/, exported.reply);
  });

  it('"rated above 9" and "rated above 8" are different pipelines with different rows', async () => {
    const nine = await conversation().say('FAST: export all films rated above 9 to parquet');
    const eight = await conversation().say('FAST: export all films rated above 8 to parquet');
    assert.ok(nine.pipeline && eight.pipeline, `${nine.reply}\n${eight.reply}`);
    assert.notEqual(nine.pipeline.fingerprint, eight.pipeline.fingerprint);
    assert.notEqual(nine.pipeline.name, eight.pipeline.name, 'different names, so different files');
    // Whole film rows (as "all films" alone gives them), kept when their reviews' average passes.
    assert.match(String(nine.pipeline.manifest.steps[0]?.config.query), /^SELECT t0\.\*[\s\S]*HAVING AVG\(t1\.rating\) > 9\n\)$/);
    assert.match(String(eight.pipeline.manifest.steps[0]?.config.query), /^SELECT t0\.\*[\s\S]*HAVING AVG\(t1\.rating\) > 8\n\)$/);
  });

  it('long requests that differ only at the end still get different pipeline and file names', async () => {
    const text = (year: number) => `FAST: export the titles, release years, runtimes and genres of the movies released after ${year} to csv`;
    const a = await conversation().say(text(2015));
    const b = await conversation().say(text(2016));
    assert.ok(a.pipeline && b.pipeline, `${a.reply}\n${b.reply}`);
    assert.notEqual(a.pipeline.name, b.pipeline.name);
    assert.notEqual(a.pipeline.manifest.steps.at(-1)?.config.path, b.pipeline.manifest.steps.at(-1)?.config.path);
  });

  it('answers an aggregate question with a preview of the query it built', async () => {
    const answer = await conversation().say('how many films per genre?');
    assert.deepEqual(answer.rows?.columns, ['genre', 'number_of_movies']);
    assert.match(answer.reply, /\| Drama \| 17 \|/);
  });

  it('asks about a condition it cannot place instead of exporting without it; FAST: exports and names the unused words', async () => {
    const asked = await conversation().say('export the titles of movies by Agnes Varda with a golden frame to csv');
    assert.equal(asked.pipeline, undefined);
    assert.match(asked.reply, /except "golden frame"/);
    const fast = await conversation().say('FAST: export the titles of movies by Agnes Varda with a golden frame to csv');
    assert.ok(fast.pipeline, fast.reply);
    assert.match(String(fast.pipeline.manifest.steps[0]?.config.query), /WHERE t1\.name = 'Agnès Varda'/);
    assert.match(fast.reply, /Not used \(I could not place them\): "golden frame"/);
  });

  it('stops at maxSteps with what it found so far', async () => {
    const outcome = await conversation(toolContext(), 2).say('find director Ava DuVernay');
    assert.equal(outcome.llmCalls, 2);
    assert.match(outcome.reply, /stopped after 2 model calls/);
    assert.match(outcome.reply, /list_tables ok/);
  });

  it('turns a tool that throws into a failed result the planner answers from', async () => {
    const flaky = toolContext({
      resolveConnection: async () => {
        throw new OsirisError('TRANSIENT', 'connection reset', { hint: 'retried', retryable: true });
      },
    });
    const outcome = await conversation(flaky).say('list tables');
    assert.equal(outcome.toolResults[0]?.ok, false);
    assert.match(outcome.toolResults[0]?.content ?? '', /connection reset/);
    assert.match(outcome.reply, /connection reset/);
  });
});

describe('executeTool', () => {
  it('caps rows at the sample size', async () => {
    const result = await executeTool(call('sample_rows', { table: 'movies', limit: 50 }), { ...toolContext(), settings: { ...settings, sampleSize: 3 } });
    assert.ok(result.ok, result.content);
    assert.equal(result.rows?.rows.length, 3);
    assert.equal((JSON.parse(result.content) as { rows: unknown[] }).rows.length, 3);
  });

  it('keeps content under the size cap by dropping whole rows', async () => {
    const result = await executeTool(call('preview_sql', { sql: 'SELECT * FROM reviews' }), { ...toolContext(), settings: { ...settings, sampleSize: 500 } });
    assert.ok(result.content.length <= 8000);
    const content = JSON.parse(result.content) as { rows: unknown[]; truncated: boolean };
    assert.equal(content.truncated, true);
    assert.equal(result.rows?.rows.length, content.rows.length);
  });

  it('serves list_tables from the cache until the TTL passes', async () => {
    let now = 1_000_000;
    // Its own cache file: entries stored by other tests carry real timestamps.
    const ctx = toolContext({}, { file: 'ttl.sqlite', now: () => now });
    const ref = { connection: '@sqlite.demo' };
    const first = await executeTool(call('list_tables', ref), ctx);
    const second = await executeTool(call('list_tables', ref), ctx);
    assert.equal(second.cached, true);
    assert.equal(second.content, first.content);
    now += 60 * 60 * 1000 + 1;
    const expired = await executeTool(call('list_tables', ref), ctx);
    assert.equal(expired.cached, undefined);
  });

  it('rejects invalid arguments with the validation message', async () => {
    const result = await executeTool(call('sample_rows', { table: 42 }), toolContext());
    assert.equal(result.ok, false);
    assert.match(result.content, /expected string, received number/);
    assert.match(result.content, /table/);
  });

  it('rethrows retryable errors and returns the others with their hint', async () => {
    const retryable = new OsirisError('TRANSIENT', 'busy', { hint: 'retry', retryable: true });
    await assert.rejects(
      executeTool(call('list_tables', {}), toolContext({ resolveConnection: async () => Promise.reject(retryable) })),
      (err) => err === retryable,
    );
    const missing = await executeTool(call('list_tables', { connection: '@mysql.nowhere' }), toolContext());
    assert.equal(missing.ok, false);
    const content = JSON.parse(missing.content) as { code: string; hint: string };
    assert.equal(content.code, 'CONNECTION_NOT_FOUND');
    assert.ok(content.hint.length > 0);
  });

  it('reports every OML problem of an invalid pipeline', async () => {
    const oml = 'oml_version: "0.1.0"\nname: Bad Name\nsteps:\n  - id: a\n    component: nope.extractor\n    mode: read\n    config: {}\n';
    const result = await executeTool(call('propose_pipeline', { oml }), toolContext());
    assert.equal(result.ok, false);
    const content = JSON.parse(result.content) as { problems: { path: string; hint: string }[] };
    assert.ok(content.problems.length >= 2);
    assert.ok(content.problems.some((p) => p.path === 'name'));
    assert.ok(content.problems.every((p) => p.hint.length > 0));
  });

  it('never puts resolved connection values in a result', async () => {
    const secret = 's3cr3t-Passw0rd';
    const ctx = toolContext({
      resolveConnection: async () => ({ family: 'sqlite', alias: 'vault', values: { path: demoFile, password: secret }, secrets: [secret] }),
      openDiscovery: async () => Promise.reject(new Error(`login failed for password ${secret}`)),
    });
    const result = await executeTool(call('search_data', { connection: '@sqlite.vault', term: 'x' }), ctx);
    assert.equal(result.ok, false);
    assert.ok(!result.content.includes(secret), result.content);
    assert.ok(!result.content.includes(demoFile));
  });
});
