/**
 * `osiris eval`: each task runs in-process WITHOUT Temporal (the same runAgentTurn, executeTool and
 * executeStep the workflow drives through activities, but no retries), in FAST: mode. A task passes
 * when the file its pipeline writes holds the same rows as the task's reference SQL (as a multiset:
 * order and column names ignored, numbers compared to 4 decimals).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JsonValue, RowSet } from '../../connectors/discovery.js';
import type { ProjectConfig } from '../../config/project-config.js';
import { openDiscovery } from '../../connectors/families.js';
import { isOsirisError } from '../../errors.js';
import { executeStep } from '../../runtime/execute-step.js';
import { sqlString, withDuckDB } from '../../dataplane/step-db.js';
import { runAgentTurn } from '../agent-loop.js';
import { openDiscoveryCache } from '../discovery-cache.js';
import { executeTool } from '../execute-tool.js';
import { createConnectionResolver } from '../../connections/resolver.js';
import { createToolContext, type ToolContext } from '../tool-context.js';
import { discoverSchema } from '../tool-source.js';
import { loadPrompts } from '../prompts/load.js';
import { buildSystemPrompt } from '../system-prompt.js';
import { toolDefinitions } from '../tools.js';
import { LlmError } from '../providers/errors.js';
import { nextRetryDelayMs } from '../providers/retry-policy.js';
import type { AgentSettings, LlmProvider, LlmRequest } from '../types.js';
import { taskMessages, type EvalSuite, type EvalTask } from './suite.js';
import type { ChatMessage } from '../types.js';
import type { ConnectionResolver } from '../../connections/types.js';

/** Rows read from the reference query and the output: far above any demo task, bounded all the same. */
const MAX_COMPARED_ROWS = 100_000;

export interface TaskResult {
  id: string;
  difficulty: EvalTask['difficulty'];
  passed: boolean;
  /** Why it failed, in a line. */
  reason?: string;
  /** When it failed: the SQL the proposed pipeline read with, and the agent's reply (in a line), to see why. */
  sql?: string[];
  reply?: string;
  ms: number;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface EvalReport {
  suite: string;
  provider: string;
  tasks: TaskResult[];
  passed: number;
  /** passed / tasks, 0..1. */
  accuracy: number;
  ms: number;
  inputTokens: number;
  outputTokens: number;
}

export interface EvalOptions {
  config: Pick<ProjectConfig, 'projectDir' | 'stateDir' | 'llm' | 'agent'>;
  provider: LlmProvider;
  onTask?: (result: TaskResult) => void;
}

export async function runEval(suite: EvalSuite, o: EvalOptions): Promise<EvalReport> {
  const settings: AgentSettings = { connection: suite.connection, sampleSize: o.config.agent.sample_size, maxStepsPerTurn: o.config.agent.max_steps_per_turn };
  const cache = openDiscoveryCache(':memory:');
  const work = await mkdtemp(path.join(os.tmpdir(), 'osiris-eval-'));
  const prompts = loadPrompts(o.config.llm.prompts_dir && path.resolve(o.config.projectDir, o.config.llm.prompts_dir));
  const ctx = createToolContext({ config: o.config, settings, cache, resolveConnection: withSuiteDatabase(createConnectionResolver(o.config), suite) });
  try {
    const system = buildSystemPrompt(settings, { schema: { tables: await discoverSchema(ctx, suite.connection) }, prompts, budgetTokens: o.config.llm.prompt_token_budget });
    const results: TaskResult[] = [];
    for (const task of suite.tasks) {
      const result = await runTask(task, { ctx, system, provider: o.provider, dir: path.join(work, task.id), connection: suite.connection, projectDir: o.config.projectDir });
      results.push(result);
      o.onTask?.(result);
    }
    const sum = (pick: (r: TaskResult) => number) => results.reduce((n, r) => n + pick(r), 0);
    const passed = results.filter((r) => r.passed).length;
    return {
      suite: suite.name,
      provider: o.provider.name,
      tasks: results,
      passed,
      accuracy: passed / results.length,
      ms: sum((r) => r.ms),
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
    };
  } finally {
    cache.close();
    await rm(work, { recursive: true, force: true });
  }
}

interface TaskDeps {
  ctx: ToolContext;
  system: string;
  provider: LlmProvider;
  dir: string;
  connection: string;
  projectDir: string;
}

/** The suite's own SQLite file stands in for its connection when the project does not define it. */
function withSuiteDatabase(resolve: ConnectionResolver, suite: EvalSuite): ConnectionResolver {
  const file = suite.sqliteFile;
  if (file === undefined) return resolve;
  return async (ref) => {
    try {
      return await resolve(ref);
    } catch (err) {
      if (ref !== suite.connection || !isOsirisError(err) || err.code !== 'CONNECTION_NOT_FOUND') throw err;
      const [family = '', alias = ''] = ref.slice(1).split('.');
      if (family !== 'sqlite') throw err;
      return { family, alias, values: { path: file } };
    }
  };
}

async function runTask(task: EvalTask, d: TaskDeps): Promise<TaskResult> {
  const started = performance.now();
  const usage = { llmCalls: 0, inputTokens: 0, outputTokens: 0 };
  const result = (passed: boolean, reason?: string): TaskResult => ({ id: task.id, difficulty: task.difficulty, passed, reason, ms: Math.round(performance.now() - started), ...usage });
  // The loop turns a failed model call into a reply; a configuration error must stop the whole run instead.
  let fatal: unknown;
  try {
    // Every message of the task in one conversation (each in FAST: mode); the last turn's pipeline is checked.
    const history: ChatMessage[] = [];
    let turn: Awaited<ReturnType<typeof runAgentTurn>> | undefined;
    for (const message of taskMessages(task)) {
      turn = await runAgentTurn(
        { history: [...history], userText: `FAST: ${message}`, maxSteps: d.ctx.settings.maxStepsPerTurn },
        {
          complete: async (messages) => {
            const response = await completeWithRetries(d.provider, { system: d.system, messages, tools: toolDefinitions() }).catch((err: unknown) => {
              if (err instanceof EvalAborted) fatal = err.cause;
              throw err;
            });
            usage.llmCalls++;
            usage.inputTokens += response.usage?.inputTokens ?? 0;
            usage.outputTokens += response.usage?.outputTokens ?? 0;
            return response;
          },
          executeTool: (call) => executeTool(call, d.ctx),
        },
      );
      if (fatal !== undefined) break;
      history.push(...turn.messages);
    }
    if (fatal !== undefined) throw new EvalAborted('aborted', { cause: fatal });
    if (!turn?.pipeline) return result(false, `no pipeline proposed: ${oneLine(turn?.reply ?? '')}`);
    const { steps } = turn.pipeline.manifest;
    const failed = (reason: string): TaskResult => ({ ...result(false, reason), sql: stepQueries(steps), reply: oneLine(turn.reply.replace(/```[\s\S]*?```/g, '[pipeline]'), 600) });
    const written = await runPipeline(steps, d);
    if (!written) return failed('the pipeline writes no file');
    const expected = await referenceRows(task.reference_sql, d);
    const actual = await readOutput(written);
    const diff = compareRows(expected, actual);
    return diff === undefined ? result(true) : failed(diff);
  } catch (err) {
    if (err instanceof EvalAborted) throw err.cause;
    return result(false, oneLine(err instanceof Error ? err.message : String(err)));
  }
}

/** Attempts per model call: without Temporal the harness retries (honouring Retry-After) itself. */
const EVAL_ATTEMPTS = 4;

/** A bad key or model fails every task alike: the run stops at the first one, with the message that names the setting. */
class EvalAborted extends Error {}

async function completeWithRetries(provider: LlmProvider, request: LlmRequest) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.complete(request, {});
    } catch (err) {
      if (isOsirisError(err) && !err.retryable) throw new EvalAborted(err.message, { cause: err });
      if (attempt >= EVAL_ATTEMPTS) throw err;
      const delay = nextRetryDelayMs(err instanceof LlmError ? err.retryAfterMs : undefined, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function stepQueries(steps: readonly { config: Record<string, unknown> }[]): string[] {
  return steps.flatMap((step) => (typeof step.config.query === 'string' ? [step.config.query] : typeof step.config.sql === 'string' ? [step.config.sql] : []));
}

async function runPipeline(steps: Parameters<typeof executeStep>[0][], d: TaskDeps): Promise<string | undefined> {
  const workspaceDir = path.join(d.dir, 'workspace');
  const outputDir = path.join(d.dir, 'output');
  await mkdir(path.join(workspaceDir, 'steps'), { recursive: true });
  await mkdir(outputDir, { recursive: true });
  let written: string | undefined;
  for (const step of steps) {
    const stepResult = await executeStep(step, { workspaceDir, projectDir: d.projectDir, outputDir, resolveConnection: d.ctx.resolveConnection });
    written ??= stepResult.outputs[0]?.path;
  }
  return written;
}

async function referenceRows(sql: string, d: TaskDeps): Promise<RowSet> {
  const discovery = await openDiscovery(await d.ctx.resolveConnection(d.connection));
  try {
    return await discovery.previewQuery(sql, MAX_COMPARED_ROWS);
  } finally {
    await discovery.close();
  }
}

export async function readOutput(file: string): Promise<RowSet> {
  // A CSV cell is text: read it as written, not as a guessed type ("2023-06-28 11:45" is no timestamp "... 11:45:00").
  const source = file.endsWith('.parquet') ? `read_parquet(${sqlString(file)})` : file.endsWith('.json') ? `read_json_auto(${sqlString(file)})` : `read_csv(${sqlString(file)}, all_varchar = true)`;
  return withDuckDB(':memory:', async (conn) => {
    const result = await conn.runAndReadAll(`SELECT * FROM ${source} LIMIT ${MAX_COMPARED_ROWS}`);
    return { columns: result.columnNames(), rows: result.getRowsJson() as JsonValue[][], truncated: false };
  });
}

/** undefined when equal as multisets of rows; else what differs, in a line. */
export function compareRows(expected: RowSet, actual: RowSet): string | undefined {
  if (expected.columns.length !== actual.columns.length) return `${actual.columns.length} columns (${actual.columns.join(', ')}), expected ${expected.columns.length} (${expected.columns.join(', ')})`;
  const key = (row: JsonValue[]) => JSON.stringify(row.map(normalize));
  const want = expected.rows.map(key).sort();
  const got = actual.rows.map(key).sort();
  if (want.length !== got.length) return `${got.length} rows, expected ${want.length}`;
  const index = want.findIndex((row, i) => row !== got[i]);
  return index === -1 ? undefined : `rows differ, e.g. expected ${want[index]} but got ${got[index]}`;
}

/** CSV and JSON round trips turn numbers into text and back: compare numbers as numbers, to 4 decimals. */
function normalize(value: JsonValue): string | null {
  if (value === null) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n.toFixed(4) : String(value);
}

function oneLine(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
