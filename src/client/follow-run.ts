import path from 'node:path';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import pc from 'picocolors';
import type { Manifest } from '../oml/manifest.js';
import type { pipelineRun } from '../workflows/pipeline-run.js';
import { rowsWritten } from '../workflows/run-summary.js';
import { EXIT, formatBytes, formatCount, formatDuration, printError } from './output.js';
import { createRunRenderer } from './render-run.js';
import { webUiWorkflowUrl, type TemporalSession } from './temporal-connection.js';
import { watchRun } from './watch-run.js';

/**
 * Shows a pipeline run from start to end: its workflow id and Web UI link, a live per-step display,
 * then the outputs or the failing step with its hint. Ctrl-C cancels the run (its workspace is
 * still cleaned up) instead of leaving it waiting for workers that are gone. Returns the exit code.
 */
export async function followRun(handle: WorkflowHandle<typeof pipelineRun>, session: TemporalSession, manifest: Manifest, started = Date.now()): Promise<number> {
  process.stdout.write(`workflow ${handle.workflowId}\n`);
  if (session.uiUrl) process.stdout.write(`web ui   ${webUiWorkflowUrl(session.uiUrl, session.namespace, handle.workflowId)}\n`);
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
    process.stdout.write(`${pc.green('completed')} in ${formatDuration(Date.now() - started)}: ${result.steps.length} steps, ${formatCount(rowsWritten(manifest, result.steps))} rows written\n`);
    if (files.length > 0) process.stdout.write(`outputs:\n${files.join('\n')}\n`);
    process.stdout.write(pc.dim(`report   osiris logs html ${handle.workflowId}`) + '\n');
    return EXIT.ok;
  } catch (err) {
    renderer.done();
    printRunFailure(err);
    process.stderr.write(pc.dim(`report   osiris logs html ${handle.workflowId}`) + '\n');
    return EXIT.failed;
  } finally {
    process.off('SIGINT', cancel);
  }
}

/** The workflow's failure names the step; its details carry the hint from the activity. */
function printRunFailure(err: unknown): void {
  if (!(err instanceof WorkflowFailedError)) return printError(err);
  // A failure before any step (e.g. preparing the workspace) arrives wrapped in its ActivityFailure.
  const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
  if (cause instanceof CancelledFailure) {
    process.stderr.write(`${pc.yellow('cancelled:')} the run was cancelled; its workspace was cleaned up and finished steps' outputs are kept.\n`);
    return;
  }
  if (cause instanceof ApplicationFailure) {
    const hint = (cause.details?.[0] as { hint?: string } | undefined)?.hint;
    process.stderr.write(`${pc.red('failed:')} ${cause.message}\n`);
    if (hint) process.stderr.write(`${pc.yellow('hint:')} ${hint}\n`);
    return;
  }
  process.stderr.write(`${pc.red('failed:')} ${cause?.message ?? err.message}\n`);
}
