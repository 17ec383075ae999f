import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import pc from 'picocolors';
import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { OmlInvalidError } from '../../oml/errors.js';
import { EXECUTION_TARGETS, type ExecutionTarget } from '../../workflows/task-queues.js';
import { requireWorkers } from '../check-workers.js';
import { compilePipeline, readPipeline } from '../load-pipeline.js';
import { EXIT, formatBytes, formatCount, formatDuration, printError } from '../output.js';
import { formatProblems, problemCounts } from '../render-problems.js';
import { createRunRenderer } from '../render-run.js';
import { startPipelineRun } from '../start-run.js';
import { webUiWorkflowUrl } from '../temporal-connection.js';
import { withTemporal } from '../with-temporal.js';
import { watchRun } from '../watch-run.js';

export interface RunOptions {
  param: string[];
  target?: string;
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const started = Date.now();
  const config = loadProjectConfig();
  const target = (opts.target ?? config.execution.target) as ExecutionTarget;
  if (!EXECUTION_TARGETS.includes(target)) {
    throw new OsirisError('CONFIG_INVALID', `Unknown target "${opts.target}"`, { hint: `Use --target ${EXECUTION_TARGETS.join(' or ')}.` });
  }
  if (target !== 'local' && config.embedded) {
    throw new OsirisError('CONFIG_INVALID', `Target "${target}" has no in-process worker in this build`, { hint: 'Use --target local.' });
  }

  let compiled;
  try {
    compiled = await compilePipeline(await readPipeline(file, opts.param));
  } catch (err) {
    if (err instanceof OmlInvalidError) {
      process.stderr.write(formatProblems(file, err.problems) + '\n');
      process.stderr.write(`${pc.red('error:')} ${file} is not a valid pipeline (${problemCounts(err.problems)}); nothing was run.\n`);
      return EXIT.invalid;
    }
    throw err;
  }
  if (compiled.warnings.length > 0) process.stderr.write(formatProblems(file, compiled.warnings) + '\n');

  return withTemporal(config, async (session) => {
    if (!config.embedded) await requireWorkers(session.client, target);
    const handle = await startPipelineRun(session.client, compiled, target);
    process.stdout.write(`${pc.bold(compiled.manifest.pipeline.name)}  ${pc.dim(`fingerprint ${compiled.fingerprint.slice(0, 12)}  target ${target}`)}\n`);
    process.stdout.write(`workflow ${handle.workflowId}\n`);
    if (session.uiUrl) process.stdout.write(`web ui   ${webUiWorkflowUrl(session.uiUrl, session.namespace, handle.workflowId)}\n`);

    // Ctrl-C cancels the run (its workspace is still cleaned up) instead of leaving it waiting for workers that are gone.
    const cancel = () => {
      process.stderr.write(pc.dim('Cancelling the run...') + '\n');
      handle.cancel().catch(() => {});
    };
    process.once('SIGINT', cancel);
    const renderer = createRunRenderer();
    try {
      const result = await watchRun(handle, renderer.render);
      renderer.done();
      const files = result.outputs.map((o) => `  ${path.relative(process.cwd(), o.path) || o.path}  ${pc.dim(formatBytes(o.bytes))}`);
      const writers = new Set(compiled.manifest.steps.filter((s) => s.mode === 'write').map((s) => s.id));
      const written = result.steps.filter((s) => writers.has(s.stepId)).reduce((n, s) => n + s.rows, 0);
      process.stdout.write(`${pc.green('completed')} in ${formatDuration(Date.now() - started)}: ${result.steps.length} steps, ${formatCount(written)} rows written\n`);
      if (files.length > 0) process.stdout.write(`outputs:\n${files.join('\n')}\n`);
      return EXIT.ok;
    } catch (err) {
      renderer.done();
      printRunFailure(err);
      return EXIT.failed;
    } finally {
      process.off('SIGINT', cancel);
    }
  });
}

/** The workflow's failure names the step; its details carry the hint from the activity. */
function printRunFailure(err: unknown): void {
  if (!(err instanceof WorkflowFailedError)) return printError(err);
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) {
    const hint = (cause.details?.[0] as { hint?: string } | undefined)?.hint;
    process.stderr.write(`${pc.red('failed:')} ${cause.message}\n`);
    if (hint) process.stderr.write(`${pc.yellow('hint:')} ${hint}\n`);
    return;
  }
  process.stderr.write(`${pc.red('failed:')} ${cause?.message ?? err.message}\n`);
}
