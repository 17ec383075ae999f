import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/client/dev-server.js';
import { osiris, repoRoot } from '../support/cli.js';
import { startOpenAiServer } from '../support/openai-server.js';
import { makeProject } from '../support/project.js';
import type { ScriptedServer } from '../support/scripted-llm.js';

/**
 * `osiris llm test` and `osiris eval` as a user runs them: the built CLI, `llm` set in osiris.yaml,
 * the key only in the environment, against a scripted server speaking the OpenAI wire format.
 */
const KEY = 'sk-e2e-key-3c9d1f0a7b';
const ANSWER = 'Hello! I am gpt-e2e, answering from the scripted server.';
let server: ScriptedServer;
let projectDir: string;
/** No key or base URL from the machine running the tests: only what each test passes. */
const cleanEnv: NodeJS.ProcessEnv = { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ANTHROPIC_API_KEY: '', ANTHROPIC_BASE_URL: '' };

before(async () => {
  server = await startOpenAiServer(() => ({ text: ANSWER, usage: { input: 42, output: 12 } }));
  // Its own embedded server ports: the chat test must not reuse (or leave behind) a server on the default ones.
  const temporal = `temporal:\n  port: ${await freePort()}\n  ui_port: ${await freePort()}\n`;
  projectDir = makeProject({ 'osiris.yaml': `llm:\n  provider: openai\n  model: gpt-e2e\n  base_url: ${server.url}\n${temporal}` });
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir });
  server.close();
});

describe('osiris llm test and osiris eval against an OpenAI-compatible server', () => {
  test('llm test sends one request with the configured model and prints what the model answered', async () => {
    server.requests.length = 0;
    server.script = () => ({ text: ANSWER, usage: { input: 42, output: 12 } });
    const result = await osiris(['llm', 'test'], { cwd: projectDir, env: { ...cleanEnv, OPENAI_API_KEY: KEY } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.model, 'gpt-e2e');
    assert.match(server.requests[0]!.userText, /Say hello/);
    assert.match(result.stdout, new RegExp(`✓ openai \\(${server.url.replaceAll('.', '\\.')}\\) answered with openai/gpt-e2e in [\\d.]+ m?s`));
    assert.match(result.stdout, /tokens: 42 in, 12 out/);
    assert.equal(result.stdout.trimEnd().split('\n').at(-1), ANSWER);
    assert.ok(!(result.stdout + result.stderr).includes(KEY), 'the key is never printed');
  });

  test('llm test with a key the server refuses (401) exits non-zero and names OPENAI_API_KEY', async () => {
    server.requests.length = 0;
    server.script = () => ({ status: 401, message: 'Incorrect API key provided' });
    const result = await osiris(['llm', 'test'], { cwd: projectDir, env: { ...cleanEnv, OPENAI_API_KEY: 'sk-revoked' } });
    assert.notEqual(result.code, 0);
    assert.equal(result.code, 2, 'a configuration problem');
    assert.match(result.stderr, /^error: OPENAI_API_KEY is invalid: openai answered 401 \(.*Incorrect API key provided/m);
    assert.match(result.stderr, /^hint: Set OPENAI_API_KEY in the environment or in \.env/m);
    assert.equal(server.requests.length, 1, 'a bad key is not retried');
    assert.doesNotMatch(result.stdout, /answered with/);
  });

  test('chat exits 1 when the model call fails (401), with the reason in the reply', async () => {
    server.requests.length = 0;
    server.script = () => ({ status: 401, message: 'Incorrect API key provided' });
    const result = await osiris(['chat', 'find director Ava DuVernay'], { cwd: projectDir, env: { ...cleanEnv, OPENAI_API_KEY: 'sk-revoked' }, timeoutMs: 180_000 });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /could not get an answer from the model: OPENAI_API_KEY is invalid/);
  });

  test('eval with a key the server refuses stops at the first model call with the message naming OPENAI_API_KEY', async () => {
    server.requests.length = 0;
    server.script = () => ({ status: 401, message: 'Incorrect API key provided' });
    const result = await osiris(['eval', path.join(repoRoot, 'evals', 'demo-suite.yaml')], { cwd: projectDir, env: { ...cleanEnv, OPENAI_API_KEY: 'sk-revoked' } });
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /^error: OPENAI_API_KEY is invalid/m);
    assert.match(result.stderr, /^hint: Set OPENAI_API_KEY/m);
    assert.equal(server.requests.length, 1, 'one refused call aborts the whole suite: no task is tried against a bad key');
    assert.doesNotMatch(result.stdout, /execution accuracy/, 'no accuracy is reported for a run that never reached the model');
    assert.doesNotMatch(result.stdout, /✗/, 'no task is counted as failed by the model');
  });
});
