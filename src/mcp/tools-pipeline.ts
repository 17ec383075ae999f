/** MCP tools for pipelines: validate, compile, run (only what was compiled), and watch, cancel, list and explain runs. */
import { CancelledFailure, WorkflowFailedError, type WorkflowExecutionStatusName } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { CompileOutcome } from '../activities/agent-types.js';
import { hostFailoverOf, startPipelineRun } from '../client/start-run.js';
import { progressQuery } from '../workflows/messages.js';
import { rowsWritten } from '../workflows/run-summary.js';
import type { pipelineRun } from '../workflows/pipeline-run.js';
import { EXECUTION_TARGETS } from '../workflows/task-queues.js';
import { McpToolError, toolErrorBody } from './tool-error.js';
import { args, defineTool, findingSchema, type McpContext } from './tool.js';

const pipelineInput = z.strictObject({ oml: args.oml, params: args.params });

async function compileOnWorkers(ctx: McpContext, input: z.infer<typeof pipelineInput>): Promise<Extract<CompileOutcome, { ok: true }>> {
  const outcome = await ctx.workers.project('compilePipelineText', input);
  if (!outcome.ok) {
    const errors = outcome.findings.filter((f) => f.severity === 'error');
    throw new McpToolError('OML_INVALID', `The pipeline has ${errors.length} error(s): ${errors.map((f) => `${f.path || '(document)'}${f.line ? ` (line ${f.line}:${f.column ?? 1})` : ''} ${f.rule}: ${f.message}`).join('; ')}`, errors.map((f) => f.fix).join(' '));
  }
  return outcome;
}

const stepProgress = z.object({ id: z.string(), component: z.string(), status: z.string(), rows: z.number().optional(), durationMs: z.number().optional(), error: z.string().optional() });
const runStatusOutput = z.object({
  runId: z.string(),
  workflowStatus: z.string(),
  status: z.string(),
  pipeline: z.string().optional(),
  fingerprint: z.string().optional(),
  steps: z.array(stepProgress),
  webUi: z.string().optional(),
});
const errorBody = z.object({ code: z.string(), message: z.string(), fix: z.string() });

async function runStatus(ctx: McpContext, runId: string): Promise<z.infer<typeof runStatusOutput>> {
  const handle = ctx.client.workflow.getHandle<typeof pipelineRun>(runId);
  const description = await handle.describe();
  if (description.type !== 'pipelineRun') throw new McpToolError('NOT_FOUND', `${runId} is a ${description.type} workflow, not a pipeline run`, 'Use a run id from run or runs_list.');
  const progress = await handle.query(progressQuery);
  return { runId, workflowStatus: description.status.name, status: progress.status, pipeline: progress.pipeline, fingerprint: progress.fingerprint, steps: progress.steps, webUi: ctx.webUi(runId) };
}

const FINAL: WorkflowExecutionStatusName[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'];

export const pipelineTools = [
  defineTool({
    name: 'validate',
    description: 'Check an OML document without running anything: every finding with line, column, path, rule id and fix. Use after each edit.',
    input: pipelineInput,
    output: z.object({ valid: z.boolean(), findings: z.array(findingSchema) }),
    async handler(input, ctx) {
      return ctx.workers.project('validatePipelineText', input);
    },
  }),
  defineTool({
    name: 'compile',
    description: 'Compile valid OML into its manifest: steps, DAG levels and the fingerprint that run requires. Show it to the human before running.',
    input: pipelineInput,
    output: z.object({
      name: z.string(),
      fingerprint: z.string(),
      steps: z.array(z.object({ id: z.string(), component: z.string(), mode: z.string(), needs: z.array(z.string()) })),
      levels: z.array(z.array(z.string())),
      warnings: z.array(findingSchema),
    }),
    async handler(input, ctx) {
      const compiled = await compileOnWorkers(ctx, input);
      const steps = compiled.manifest.steps.map(({ id, component, mode, needs }) => ({ id, component, mode, needs }));
      return { name: compiled.name, fingerprint: compiled.fingerprint, steps, levels: compiled.manifest.levels, warnings: compiled.warnings };
    },
  }),
  defineTool({
    name: 'run',
    description: 'Run a pipeline as a durable pipelineRun workflow. Requires the fingerprint compile returned for this exact text, so what runs is what was shown.',
    input: z.strictObject({
      oml: args.oml,
      params: args.params,
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'the 64-character fingerprint returned by compile').describe('Fingerprint from compile for the same oml and params'),
      target: z.enum(EXECUTION_TARGETS).optional().describe('Where steps execute; default: execution.target of osiris.yaml'),
      wait: z.boolean().optional().describe('Wait for the run to end (up to waitSeconds) and return its outcome'),
      waitSeconds: z.number().int().min(1).max(600).optional().describe('How long wait may take (default 120)'),
    }),
    output: z.object({ runId: z.string(), fingerprint: z.string(), status: z.string(), webUi: z.string().optional(), rowsWritten: z.number().optional(), outputs: z.array(z.string()).optional(), error: errorBody.optional() }),
    async handler(input, ctx) {
      const compiled = await compileOnWorkers(ctx, { oml: input.oml, params: input.params });
      if (compiled.fingerprint !== input.fingerprint) {
        throw new McpToolError('FINGERPRINT_MISMATCH', `The pipeline compiles to fingerprint ${compiled.fingerprint}, not ${input.fingerprint}: the text or params changed since compile`, 'Call compile with this exact oml and params, show the result, and pass the fingerprint it returns.');
      }
      const handle = await startPipelineRun(ctx.client, compiled, input.target ?? ctx.config.execution.target, { oml: input.oml, hostFailover: hostFailoverOf(ctx.config.execution) });
      const started = { runId: handle.workflowId, fingerprint: compiled.fingerprint, webUi: ctx.webUi(handle.workflowId) };
      if (!input.wait) return { ...started, status: 'running' };
      const timeout = sleep((input.waitSeconds ?? 120) * 1000, 'timeout' as const);
      try {
        const result = await Promise.race([handle.result(), timeout]);
        if (result === 'timeout') return { ...started, status: 'running' };
        return { ...started, status: 'completed', rowsWritten: rowsWritten(compiled.manifest, result.steps), outputs: result.outputs.map((o) => o.path) };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return { ...started, status: err.cause instanceof CancelledFailure ? 'cancelled' : 'failed', error: toolErrorBody(err.cause ?? err) };
        throw err;
      }
    },
  }),
  defineTool({
    name: 'run_status',
    description: 'The live progress of a run: its status and each step with rows and duration. Use to follow a run started without wait.',
    input: z.strictObject({ runId: args.runId }),
    output: runStatusOutput,
    async handler({ runId }, ctx) {
      return runStatus(ctx, runId);
    },
  }),
  defineTool({
    name: 'run_cancel',
    description: 'Cancel a running pipeline run; finished steps keep their output, the run ends as cancelled.',
    input: z.strictObject({ runId: args.runId }),
    output: runStatusOutput,
    async handler({ runId }, ctx) {
      const before = await runStatus(ctx, runId);
      if (FINAL.includes(before.workflowStatus as WorkflowExecutionStatusName)) {
        throw new McpToolError('RUN_FINISHED', `${runId} already ended (${before.status})`, 'Only a running run can be cancelled; see run_report for what it did.');
      }
      await ctx.client.workflow.getHandle(runId).cancel();
      // Cancellation runs the workflow's cleanup: wait (briefly) until it has ended.
      for (let i = 0; i < 100; i++) {
        const now = await runStatus(ctx, runId);
        if (FINAL.includes(now.workflowStatus as WorkflowExecutionStatusName)) return now;
        await sleep(200);
      }
      return runStatus(ctx, runId);
    },
  }),
  defineTool({
    name: 'runs_list',
    description: 'Recent pipeline runs, newest first, from Temporal visibility (optionally of one pipeline). Use to find a run id.',
    input: z.strictObject({
      pipeline: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).max(200).optional().describe('Only runs of this pipeline name'),
      limit: z.number().int().min(1).max(100).optional().describe('How many (default 20)'),
    }),
    output: z.object({ runs: z.array(z.object({ runId: z.string(), pipeline: z.string().optional(), status: z.string(), startTime: z.string(), closeTime: z.string().optional() })) }),
    async handler({ pipeline, limit }, ctx) {
      const query = `WorkflowType = 'pipelineRun'${pipeline ? ` AND OsirisPipeline = '${pipeline}'` : ''}`;
      const runs = [];
      for await (const w of ctx.client.workflow.list({ query })) {
        const name = w.searchAttributes?.OsirisPipeline?.[0];
        runs.push({ runId: w.workflowId, pipeline: typeof name === 'string' ? name : undefined, status: w.status.name, startTime: w.startTime.toISOString(), closeTime: w.closeTime?.toISOString() });
        if (runs.length >= (limit ?? 20)) break;
      }
      return { runs };
    },
  }),
  defineTool({
    name: 'run_report',
    description: 'A compact account of one run for a model: status, per-step rows/bytes/durations/attempts, the error with step, hint and SQL, the OML, and the change since the previous run.',
    input: z.strictObject({ runId: args.runId }),
    output: z.object({
      run: z.string(),
      pipeline: z.string(),
      fingerprint: z.string(),
      status: z.string(),
      steps: z.array(z.object({ id: z.string(), status: z.string(), attempts: z.number(), rows: z.number() }).loose()),
      error: z.object({ code: z.string(), message: z.string() }).loose().optional(),
      oml: z.string().optional(),
      previous: z.record(z.string(), z.unknown()).optional(),
      omitted: z.array(z.string()).optional(),
    }).loose(),
    async handler({ runId }, ctx) {
      return (await ctx.workers.project('explainRun', { run: runId })) as never;
    },
  }),
];
