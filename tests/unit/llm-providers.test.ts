import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_PROMPTS } from '../../src/agent/prompts/defaults.js';
import { dumpPrompts, loadPrompts } from '../../src/agent/prompts/load.js';
import { LlmError, retryAfterMs, toLlmError, withFallbacks } from '../../src/agent/providers/errors.js';
import { decodeToolCall } from '../../src/agent/providers/tool-calls.js';
import { buildSystemPrompt, estimateTokens, renderSchema } from '../../src/agent/system-prompt.js';
import type { TableDetail } from '../../src/connectors/discovery.js';

const settings = { provider: 'openai', keyVariable: 'OPENAI_API_KEY' };
const apiError = (status: number, headers: Record<string, string> = {}, message = `${status} status`) => Object.assign(new Error(message), { status, headers: new Headers(headers) });

describe('LLM error mapping (shared by the providers)', () => {
  it('reads Retry-After as seconds, as a date, and retry-after-ms', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '7' })), 7000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' })), 1500);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000), 6000);
    assert.equal(retryAfterMs(new Headers({})), undefined);
  });

  it('429 and 5xx are retryable with the delay; 401 names the key; 404 names llm.model', () => {
    const limited = toLlmError(apiError(429, { 'retry-after': '2' }), 'm', settings) as LlmError;
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterMs, 2000);
    assert.equal((toLlmError(apiError(503), 'm', settings) as LlmError).retryable, true);
    const auth = toLlmError(apiError(401), 'm', settings) as LlmError;
    assert.equal(auth.retryable, false);
    assert.match(auth.message, /^OPENAI_API_KEY is invalid/);
    const missing = toLlmError(apiError(404), 'gpt-x', settings) as LlmError;
    assert.match(missing.message, /llm\.model 'gpt-x' does not exist/);
    assert.equal(missing.modelMissing, true);
    const abort = Object.assign(new Error('aborted'), { name: 'APIUserAbortError' });
    assert.equal(toLlmError(abort, 'm', settings), abort);
  });

  it('falls back through the models in order, and reports the longest Retry-After when all are busy', async () => {
    const tried: string[] = [];
    const answer = await withFallbacks(['a', 'b', 'c'], settings, async (model) => {
      tried.push(model);
      if (model === 'a') throw apiError(404);
      if (model === 'b') throw apiError(529, { 'retry-after': '1' });
      return model;
    });
    assert.equal(answer, 'c');
    assert.deepEqual(tried, ['a', 'b', 'c']);
    await assert.rejects(
      withFallbacks(['a', 'b'], settings, async (model) => {
        throw apiError(429, { 'retry-after': model === 'a' ? '1' : '5' });
      }),
      (err) => err instanceof LlmError && err.retryAfterMs === 5000,
    );
    await assert.rejects(
      withFallbacks(['a', 'b'], settings, async () => {
        throw apiError(401);
      }),
      /OPENAI_API_KEY is invalid/,
    );
  });
});

describe('tool calls from a model', () => {
  it('keeps valid calls, marks malformed JSON, schema errors and unknown tools as invalid', () => {
    assert.deepEqual(decodeToolCall('1', 'describe_table', '{"table":"movies"}'), { id: '1', name: 'describe_table', arguments: { table: 'movies' } });
    const broken = decodeToolCall('2', 'describe_table', '{"table": movies');
    assert.match(broken.invalid!, /not valid JSON/);
    assert.equal(broken.rawArguments, '{"table": movies');
    assert.match(decodeToolCall('3', 'describe_table', { table: 5 }).invalid!, /table/);
    assert.match(decodeToolCall('4', 'drop_table', {}).invalid!, /no tool "drop_table"/);
  });
});

describe('the system prompt', () => {
  const table = (i: number): TableDetail => ({
    name: `table_${i}`,
    kind: 'table',
    rowEstimate: i,
    columns: Array.from({ length: 12 }, (_, c) => ({ name: `column_${c}`, type: 'INTEGER', nullable: true })),
    primaryKey: ['column_0'],
    foreignKeys: [],
  });

  it('summarises a large schema to fit the budget, whole tables only', () => {
    const tables = Array.from({ length: 300 }, (_, i) => table(i));
    const full = renderSchema({ tables: tables.slice(0, 3) }, 10_000);
    assert.match(full, /column_3 INTEGER/);
    const names = renderSchema({ tables: tables.slice(0, 40) }, 2_500);
    assert.match(names, /column names only/);
    assert.doesNotMatch(names, /INTEGER/);
    const listed = renderSchema({ tables }, 1_000);
    assert.ok(estimateTokens(listed) <= 1_000);
    assert.match(listed, /table names only/);
    assert.match(listed, /more tables: call list_tables/);
    for (const line of listed.split('\n').filter((l) => l.startsWith('- '))) assert.match(line, /^- table_\d+ \(\d+ rows\), 12 columns$/);
  });

  it('stays within the token budget with a large schema', () => {
    const prompt = buildSystemPrompt({ connection: '@sqlite.demo', sampleSize: 10, maxStepsPerTurn: 12 }, { schema: { tables: Array.from({ length: 500 }, (_, i) => table(i)) }, budgetTokens: 4000 });
    assert.ok(estimateTokens(prompt) <= 4000, `${estimateTokens(prompt)} tokens`);
  });

  it('dumps the defaults and uses an edited copy from llm.prompts_dir', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-prompts-'));
    assert.deepEqual(dumpPrompts(dir).map((f) => path.basename(f)), ['system.md', 'oml-example.yaml']);
    assert.deepEqual(loadPrompts(dir), DEFAULT_PROMPTS);
    writeFileSync(path.join(dir, 'system.md'), 'Custom prompt for {{connection}}.\n{{schema}}');
    const prompt = buildSystemPrompt({ connection: '@sqlite.x', sampleSize: 5, maxStepsPerTurn: 3 }, { prompts: loadPrompts(dir) });
    assert.match(prompt, /^Custom prompt for @sqlite\.x\./);
    writeFileSync(path.join(dir, 'system.md'), 'Hello {{user_name}}');
    assert.throws(() => loadPrompts(dir), /unknown placeholder \{\{user_name\}\}/);
  });
});
