import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { createAnthropicProvider } from '../../src/agent/providers/anthropic.js';
import { endSignal, stateQuery } from '../../src/workflows/messages.js';
import { startAnthropicServer } from '../support/anthropic-server.js';
import { say, startSession } from '../support/conversation.js';
import { approveAndCheckAvaExport, startLlmStack, type LlmStack } from '../support/llm-conversation.js';
import { demoConversation, turnScript, type ScriptedServer } from '../support/scripted-llm.js';

let client: Client;
let server: ScriptedServer;
let projectDir: string;
let stack: LlmStack;
const testLlm = { provider: 'anthropic' as const, model: 'claude-test', fallback_models: [], prompt_token_budget: 6000 };

before(async () => {
  process.env.ANTHROPIC_API_KEY = 'sk-ant-test-not-a-real-key';
  server = await startAnthropicServer(demoConversation);
  stack = await startLlmStack(server, { provider: 'anthropic', model: 'claude-missing', fallback_models: ['claude-test'], temperature: 0 });
  ({ client, projectDir } = stack);
});

after(async () => {
  await stack.stop();
});

describe('the anthropic provider through the real SDK and the conversation workflow', () => {
  test('a full conversation, with the fallback model standing in for a missing one', async () => {
    // The configured model does not exist on this server; the fallback answers.
    server.script = (view, index) => (view.model === 'claude-missing' ? { status: 404, message: 'model: claude-missing' } : demoConversation(view, index));
    const handle = await startSession(client);
    const found = await say(handle, 'find director Ava DuVernay');
    assert.match(found.text, /directors/);
    assert.match(found.text, /1972/);
    assert.match(server.requests[0]!.system, /- directors \(\d+ rows\)/);
    assert.deepEqual(server.requests.slice(0, 2).map((r) => r.model), ['claude-missing', 'claude-test']);

    const proposed = await say(handle, 'export her movies with their average rating to csv');
    assert.ok(proposed.pipeline, proposed.text);
    await approveAndCheckAvaExport(client, handle, proposed.pipeline.fingerprint, projectDir);
    await handle.signal(endSignal);
  });

  test('a local base_url works with or without /v1, and without ANTHROPIC_API_KEY', async () => {
    server.requests.length = 0;
    server.script = () => ({ text: 'hello from the local server' });
    for (const base_url of [server.url, `${server.url}/v1`]) {
      const provider = createAnthropicProvider({ ...testLlm, base_url }, {});
      const answer = await provider.complete({ system: '', messages: [{ role: 'user', content: 'hi' }], tools: [] }, {});
      assert.equal(answer.text, 'hello from the local server', base_url);
    }
    assert.equal(server.requests.length, 2);
  });

  test('invalid tool input is sent back and repaired', async () => {
    server.requests.length = 0;
    server.script = turnScript({
      'sample reviews': [
        () => ({ toolCalls: [{ name: 'sample_rows', arguments: { table: 'reviews', limit: 'three' } }] }),
        () => ({ toolCalls: [{ name: 'sample_rows', arguments: { table: 'reviews', limit: 3 } }] }),
        (view) => ({ text: `rows: ${view.toolResults.at(-1)!.content}` }),
      ],
    });
    const handle = await startSession(client);
    const reply = await say(handle, 'sample reviews');
    assert.match(reply.text, /rating/);
    assert.match(server.requests[2]!.toolResults[0]!.content, /Invalid arguments for sample_rows[\s\S]*limit/);
    assert.equal(server.requests[2]!.toolResults[0]!.isError, true, 'a failed call goes back with is_error: true');
    assert.equal(server.requests[2]!.toolResults[1]?.isError ?? false, false, 'a good result is not marked');
    await handle.signal(endSignal);
  });

  test('401 is not retried, and the reply names ANTHROPIC_API_KEY', async () => {
    server.requests.length = 0;
    server.script = () => ({ status: 401, message: 'invalid x-api-key' });
    const handle = await startSession(client);
    const reply = await say(handle, 'hello');
    assert.match(reply.text, /ANTHROPIC_API_KEY is invalid/);
    // A bad key is not a missing model: no fallback, and no Temporal retry.
    assert.equal(server.requests.length, 1);
    assert.equal((await handle.query(stateQuery)).status, 'awaiting_input');
    await handle.signal(endSignal);
  });
});
