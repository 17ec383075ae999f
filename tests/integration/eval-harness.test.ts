import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runEval } from '../../src/agent/eval/run-eval.js';
import { loadSuite, taskMessages } from '../../src/agent/eval/suite.js';
import { createProvider } from '../../src/agent/providers/index.js';
import { startOpenAiServer } from '../support/openai-server.js';
import { makeProject, testConfig } from '../support/project.js';
import { exportOml, type RequestView, type ScriptedReply, type ScriptedServer } from '../support/scripted-llm.js';

const suite = loadSuite(path.resolve('evals/demo-suite.yaml'));
/** The scripted model gets this task wrong on purpose: the report must count it as failed. */
const WRONG = 'actors-sharing-movies-parquet';
let server: ScriptedServer;

/** A "model" that proposes each task's reference SQL, written to the format the prompt asks for. */
function evalModel(view: RequestView): ScriptedReply {
  const task = suite.tasks.find((t) => view.userText === `FAST: ${taskMessages(t).at(-1)}`);
  // An earlier message of a multi-turn task: one plain answer.
  if (!task) return { text: 'noted', usage: { input: 100, output: 5 } };
  if (view.toolResults.length > 0) return { text: 'Proposed.', usage: { input: 1500, output: 20 } };
  const last = taskMessages(task).at(-1)!;
  const format = /parquet/i.test(last) ? 'parquet' : /json/i.test(last) ? 'json' : 'csv';
  const sql = task.id === WRONG ? task.reference_sql.replace(' WHERE a1.name < a2.name', '') : task.reference_sql;
  return { toolCalls: [{ name: 'propose_pipeline', arguments: { oml: exportOml(sql, task.id, `${task.id}.${format}`) } }], usage: { input: 1200, output: 80 } };
}

before(async () => {
  server = await startOpenAiServer(evalModel);
});
after(() => server.close());

describe('osiris eval', () => {
  test('runs the demo suite against a scripted server and reports accuracy, time and tokens', async () => {
    assert.ok(suite.tasks.length >= 25);
    const config = testConfig(makeProject(), '127.0.0.1:1');
    const llm = { ...config.llm, provider: 'openai' as const, model: 'gpt-eval', base_url: server.url };
    const report = await runEval(suite, { config: { ...config, llm }, provider: createProvider(llm, { OPENAI_API_KEY: 'sk-test' }) });
    const failed = report.tasks.filter((t) => !t.passed);
    assert.deepEqual(failed.map((t) => t.id), [WRONG], JSON.stringify(failed));
    assert.match(failed[0]!.reason!, /rows/);
    assert.equal(report.passed, suite.tasks.length - 1);
    assert.equal(report.accuracy, (suite.tasks.length - 1) / suite.tasks.length);
    assert.ok(suite.tasks.some((t) => taskMessages(t).length > 1), 'the suite has multi-turn tasks');
    for (const t of report.tasks) {
      // Earlier messages of a multi-turn task get one plain answer each: their calls and tokens count too.
      const earlier = taskMessages(suite.tasks.find((s) => s.id === t.id)!).length - 1;
      assert.equal(t.llmCalls, 2 + earlier, t.id);
      assert.equal(t.inputTokens, 2700 + 100 * earlier, t.id);
      assert.equal(t.outputTokens, 100 + 5 * earlier, t.id);
      assert.ok(t.ms > 0);
    }
    assert.equal(report.inputTokens, report.tasks.reduce((n, t) => n + t.inputTokens, 0));
    assert.ok(report.inputTokens > 2700 * suite.tasks.length, 'multi-turn tasks add their earlier turns');
    assert.equal(report.ms, report.tasks.reduce((n, t) => n + t.ms, 0));
  });

  test('a key the server refuses aborts the run at the first model call, with the message naming OPENAI_API_KEY', async () => {
    const refusing = await startOpenAiServer(() => ({ status: 401, message: 'Incorrect API key provided' }));
    try {
      const config = testConfig(makeProject(), '127.0.0.1:1');
      const llm = { ...config.llm, provider: 'openai' as const, model: 'gpt-eval', base_url: refusing.url };
      const finished: string[] = [];
      await assert.rejects(
        runEval(suite, { config: { ...config, llm }, provider: createProvider(llm, { OPENAI_API_KEY: 'sk-revoked' }), onTask: (r) => finished.push(r.id) }),
        (err: Error & { hint?: string }) => {
          assert.match(err.message, /^OPENAI_API_KEY is invalid: openai answered 401/);
          assert.match(err.hint ?? '', /Set OPENAI_API_KEY/);
          return true;
        },
      );
      assert.equal(refusing.requests.length, 1, 'not retried, and no other task is tried');
      assert.deepEqual(finished, [], 'no task is reported as passed or failed');
    } finally {
      await refusing.close();
    }
  });
});
