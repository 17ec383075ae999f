import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createProvider } from '../../src/agent/providers/index.js';
import type { Client } from '@temporalio/client';
import { endSignal, stateQuery } from '../../src/workflows/messages.js';
import { say, startSession } from '../support/conversation.js';
import { startOpenAiServer } from '../support/openai-server.js';
import { approveAndCheckAvaExport, startLlmStack, type LlmStack } from '../support/llm-conversation.js';
import { demoConversation, exportOml, turnScript, type ScriptedServer } from '../support/scripted-llm.js';

let client: Client;
let server: ScriptedServer;
let projectDir: string;
let stack: LlmStack;

before(async () => {
  process.env.OPENAI_API_KEY = 'sk-test-not-a-real-key';
  server = await startOpenAiServer(demoConversation);
  stack = await startLlmStack(server, { provider: 'openai', model: 'gpt-test' });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack.stop();
});

describe('the openai provider through the real SDK and the conversation workflow', () => {
  test('a full conversation: discover, search, propose, approve, run', async () => {
    server.script = demoConversation;
    server.requests.length = 0;
    const handle = await startSession(client);
    const found = await say(handle, 'find director Ava DuVernay');
    assert.match(found.text, /directors/);
    assert.match(found.text, /1972/);
    // The model got the system prompt with the discovered schema, and tools in the OpenAI format.
    assert.match(server.requests[0]!.system, /- movies \(\d+ rows\): movie_id INTEGER/);
    assert.match(server.requests[0]!.system, /director_id -> directors\(director_id\)/);

    const proposed = await say(handle, 'export her movies with their average rating to csv');
    assert.ok(proposed.pipeline, proposed.text);
    assert.match(proposed.text, new RegExp(proposed.pipeline.fingerprint));
    // The proposal was previewed: the user sees its first rows.
    assert.ok(proposed.rows?.rows.some((r) => r[0] === 'Selma'), JSON.stringify(proposed.rows));

    await approveAndCheckAvaExport(client, handle, proposed.pipeline.fingerprint, projectDir);
    await handle.signal(endSignal);
  });

  test('429 with Retry-After is retried after the delay the server asked for', async () => {
    server.requests.length = 0;
    server.script = (_view, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { text: 'hello after the rate limit' });
    const handle = await startSession(client);
    const reply = await say(handle, 'hello');
    assert.equal(reply.text, 'hello after the rate limit');
    assert.equal(server.requests.length, 2);
    // The workflow's retry policy starts at 1 s: a gap of ~3 s is the Retry-After at work.
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 2900, `retried after ${gap} ms`);
    await handle.signal(endSignal);
  });

  test('500 twice, then success', async () => {
    server.requests.length = 0;
    server.script = (_view, index) => (index < 2 ? { status: 500 } : { text: 'third time lucky' });
    const handle = await startSession(client);
    assert.equal((await say(handle, 'hello')).text, 'third time lucky');
    assert.equal(server.requests.length, 3);
    await handle.signal(endSignal);
  });

  test('401 is not retried, and the reply names the key variable', async () => {
    server.requests.length = 0;
    server.script = () => ({ status: 401, message: 'Incorrect API key provided' });
    const handle = await startSession(client);
    const reply = await say(handle, 'hello');
    assert.match(reply.text, /OPENAI_API_KEY is invalid/);
    assert.match(reply.text, /Set OPENAI_API_KEY/);
    assert.equal(server.requests.length, 1);
    assert.equal((await handle.query(stateQuery)).status, 'awaiting_input');
    await handle.signal(endSignal);
  });

  test('malformed tool arguments go back to the model, which repairs them', async () => {
    server.requests.length = 0;
    server.script = turnScript({
      'describe movies': [
        () => ({ toolCalls: [{ name: 'describe_table', arguments: '{"table": movies' }] }),
        () => ({ toolCalls: [{ name: 'describe_table', arguments: { table: 42 } }] }),
        () => ({ toolCalls: [{ name: 'describe_table', arguments: { table: 'movies' } }] }),
        (view) => ({ text: `columns: ${view.toolResults.at(-1)!.content}` }),
      ],
    });
    const handle = await startSession(client);
    const reply = await say(handle, 'describe movies');
    assert.match(reply.text, /release_year/);
    assert.match(server.requests[1]!.toolResults[0]!.content, /not valid JSON/);
    assert.match(server.requests[2]!.toolResults[1]!.content, /Invalid arguments for describe_table[\s\S]*table/);
    await handle.signal(endSignal);
  });

  test('a proposal whose SQL fails its preview is repaired', async () => {
    server.requests.length = 0;
    server.script = turnScript({
      'FAST: export movie titles': [
        () => ({ toolCalls: [{ name: 'propose_pipeline', arguments: { oml: exportOml('SELECT titel FROM movies', 'titles', 'titles.csv') } }] }),
        () => ({ toolCalls: [{ name: 'propose_pipeline', arguments: { oml: exportOml('SELECT title FROM movies', 'titles', 'titles.csv') } }] }),
        () => ({ text: 'Proposed titles.' }),
      ],
    });
    const handle = await startSession(client);
    const reply = await say(handle, 'FAST: export movie titles to csv');
    assert.ok(reply.pipeline, reply.text);
    assert.equal(reply.pipeline.name, 'titles');
    assert.match(server.requests[1]!.toolResults[0]!.content, /failed its preview[\s\S]*titel/);
    assert.equal((await handle.query(stateQuery)).pending?.fingerprint, reply.pipeline.fingerprint);
    await handle.signal(endSignal);
  });

  test('a preview that keeps failing ends the turn with the last error in plain words', async () => {
    server.requests.length = 0;
    server.script = () => ({ toolCalls: [{ name: 'propose_pipeline', arguments: { oml: exportOml('SELECT nope FROM movies', 'broken', 'broken.csv') } }] });
    const handle = await startSession(client);
    const reply = await say(handle, 'export the nope column');
    assert.equal(reply.pipeline, undefined);
    assert.equal(server.requests.length, 4);
    assert.match(reply.text, /could not produce a pipeline whose SQL runs: 4 attempts failed/, 'counts every failed proposal');
    assert.match(reply.text, /nope/);
    assert.doesNotMatch(reply.text, /call propose_pipeline again/, 'the hint meant for the model is not shown to the user');
    await handle.signal(endSignal);
  });

  test('gemini: the OpenAI-compatible preset, keyed by GEMINI_API_KEY, named in answers and errors', async () => {
    const llm = { provider: 'gemini' as const, model: 'gemini-2.0-flash', fallback_models: [], prompt_token_budget: 6000, base_url: server.url };
    server.requests.length = 0;
    server.script = () => ({ text: 'hello from gemini' });
    const answer = await createProvider(llm, { GEMINI_API_KEY: 'g-test' }).complete({ system: '', messages: [{ role: 'user', content: 'hi' }], tools: [] }, {});
    assert.equal(answer.text, 'hello from gemini');
    assert.match(answer.model, /^gemini\//);
    assert.throws(() => createProvider({ ...llm, base_url: undefined }, {}), /GEMINI_API_KEY is not set/);
    server.script = () => ({ status: 401, message: 'API key not valid' });
    await assert.rejects(createProvider(llm, { GEMINI_API_KEY: 'g-bad' }).complete({ system: '', messages: [{ role: 'user', content: 'hi' }], tools: [] }, {}), /GEMINI_API_KEY is invalid: gemini answered 401/);
  });

  test('SQL: mode runs the query without asking the model', async () => {
    server.requests.length = 0;
    const handle = await startSession(client);
    const reply = await say(handle, "SQL: SELECT title FROM movies WHERE title = 'Selma'");
    assert.match(reply.text, /Selma/);
    assert.equal(server.requests.length, 0);
    await handle.signal(endSignal);
  });
});
