import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactHistory, runAgentTurn } from '../../src/agent/agent-loop.js';
import { createProvider } from '../../src/agent/providers/index.js';
import { createOfflineProvider } from '../../src/agent/providers/offline.js';
import { buildSystemPrompt } from '../../src/agent/system-prompt.js';
import { toolDefinitions } from '../../src/agent/tools.js';
import type { ChatMessage, LlmResponse, ToolCall } from '../../src/agent/types.js';
import { OsirisError } from '../../src/errors.js';

const call = (id: string): ToolCall => ({ id, name: 'list_tables', arguments: {} });
const turn = (n: number, calls = 1): ChatMessage[] => [
  { role: 'user', content: `question ${n}` },
  ...Array.from({ length: calls }, (_, i): ChatMessage[] => [
    { role: 'assistant', content: '', toolCalls: [call(`call_${n}_${i}`)] },
    { role: 'tool', toolCallId: `call_${n}_${i}`, name: 'list_tables', content: '{}' },
  ]).flat(),
  { role: 'assistant', content: `answer ${n}` },
];

describe('runAgentTurn', () => {
  it('runs the calls of one response concurrently and keeps their results in call order', async () => {
    const responses: LlmResponse[] = [
      { toolCalls: [call('a'), call('b')], model: 'scripted' },
      { text: 'done', toolCalls: [], model: 'scripted' },
    ];
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const outcome = await runAgentTurn(
      { history: [], userText: 'hi', maxSteps: 5 },
      {
        complete: async () => responses.shift()!,
        executeTool: async (c) => {
          started.push(c.id);
          // `a` finishes only after `b` has started: a sequential loop would deadlock here.
          if (c.id === 'a') await gate;
          else release();
          return { toolCallId: c.id, name: c.name, ok: true, content: c.id };
        },
      },
    );
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual(outcome.toolResults.map((r) => r.toolCallId), ['a', 'b']);
    assert.deepEqual(outcome.messages.map((m) => m.role), ['user', 'assistant', 'tool', 'tool', 'assistant']);
    assert.equal(outcome.reply, 'done');
    assert.equal(outcome.llmCalls, 2);
  });

  it('shows the model the innermost messages of a wrapped activity failure', async () => {
    const responses: LlmResponse[] = [{ toolCalls: [call('a')], model: 's' }, { text: 'ok', toolCalls: [], model: 's' }];
    const outcome = await runAgentTurn(
      { history: [], userText: 'hi', maxSteps: 5 },
      {
        complete: async () => responses.shift()!,
        executeTool: async () => {
          throw new Error('Activity task failed', { cause: new Error('database is locked') });
        },
      },
    );
    assert.equal(outcome.toolResults[0]?.ok, false);
    assert.match(outcome.toolResults[0]?.content ?? '', /Activity task failed: database is locked/);
  });
});

describe('compactHistory', () => {
  it('drops the oldest whole turns', () => {
    const history = [...turn(1), ...turn(2), ...turn(3)];
    const compacted = compactHistory(history, 9);
    assert.deepEqual(compacted, [...turn(2), ...turn(3)]);
  });

  it('keeps the last turn whole even when it alone is too long', () => {
    const history = [...turn(1), ...turn(2, 5)];
    assert.deepEqual(compactHistory(history, 4), turn(2, 5));
  });

  it('leaves short histories alone', () => {
    const history = turn(1);
    assert.equal(compactHistory(history, 10), history);
  });
});

describe('offline provider', () => {
  it('numbers tool calls after the highest id in the conversation', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'list tables' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_7', name: 'list_tables', arguments: {} }] },
      { role: 'tool', toolCallId: 'call_7', name: 'list_tables', content: '{"connection":"@sqlite.demo","tables":[]}' },
      { role: 'assistant', content: 'none' },
      { role: 'user', content: 'SQL: SELECT 1' },
    ];
    const response = await createOfflineProvider().complete({ system: '', messages, tools: [] }, {});
    assert.deepEqual(response.toolCalls, [{ id: 'call_8', name: 'preview_sql', arguments: { sql: 'SELECT 1' } }]);
  });

  it('createProvider gives offline, and refuses a cloud provider without a model or key, naming the setting', () => {
    const llm = { provider: 'offline' as const, fallback_models: [], prompt_token_budget: 6000 };
    assert.equal(createProvider(llm).name, 'offline');
    assert.throws(() => createProvider({ ...llm, provider: 'openai' }, {}), (err) => err instanceof OsirisError && err.code === 'CONFIG_INVALID' && /llm\.model is not set/.test(err.message));
    assert.throws(() => createProvider({ ...llm, provider: 'anthropic', model: 'm' }, {}), (err) => err instanceof OsirisError && /ANTHROPIC_API_KEY is not set/.test(err.message));
  });
});

describe('tool definitions and system prompt', () => {
  it('describes every tool with a JSON Schema', () => {
    const definitions = toolDefinitions();
    assert.deepEqual(definitions.map((d) => d.name), ['list_tables', 'describe_table', 'sample_rows', 'search_data', 'preview_sql', 'propose_pipeline']);
    const preview = definitions.find((d) => d.name === 'preview_sql')!;
    assert.equal(preview.parameters.type, 'object');
    assert.deepEqual(preview.parameters.required, ['sql']);
    assert.equal(preview.parameters.$schema, undefined);
  });

  it('tells a model the components, the default connection and the sample cap', () => {
    const prompt = buildSystemPrompt({ connection: '@sqlite.demo', sampleSize: 7, maxStepsPerTurn: 10 });
    for (const text of ['@sqlite.demo', 'at most 7 rows', 'sqlite.extractor', 'filesystem.parquet_writer', 'propose_pipeline', 'df_<id>']) assert.ok(prompt.includes(text), text);
  });
});

describe('what the user reads when the agent gives up', () => {
  it('shows the last error but never the hints meant for the model', async () => {
    const bad: ToolCall = { id: 'x', name: 'list_tables', arguments: {}, invalid: 'unknown argument "tabel"' };
    const outcome = await runAgentTurn(
      { history: [], userText: 'list tables', maxSteps: 10 },
      {
        complete: async () => ({ toolCalls: [{ ...bad, id: `x${Math.random()}` }], model: 'scripted' }),
        executeTool: async () => assert.fail('an invalid call is never executed'),
      },
    );
    assert.match(outcome.reply, /The last error was: unknown argument "tabel"/);
    assert.doesNotMatch(outcome.reply, /send it again|call it again|try another approach/);
  });
});
