import path from 'node:path';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import pc from 'picocolors';
import { readFailureDetails } from '../failure-details.js';
import type { Manifest } from '../oml/manifest.js';
import type { pipelineRun } from '../workflows/pipeline-run.js';
import { rowsWritten } from '../workflows/run-summary.js';
import { EXIT, formatBytes, formatCount, formatDuration, printError } from './output.js';
import { createRunRenderer } from './render-run.js';
import type { TemporalSession } from './temporal-connection.js';
import { webUiWorkflowUrl } from './web-ui-url.js';
import { watchRun } from './watch-run.js';

/**
 * Shows a pipeline run from start to end: its workflow id and Web UI link, a live per-step display,
 * then the outputs or the failing step with its hint. The first Ctrl-C (or SIGTERM) requests
 * cancellation and waits until the run reports cancelled (its workspace cleaned up), then exits 130;
 * a second one exits at once, leaving the run running. Returns the exit code.
 */
export async function followRun(handle: WorkflowHandle<typeof pipelineRun>, session: TemporalSession, manifest: Manifest, started = Date.now()): Promise<number> {
  process.stdout.write(`workflow ${handle.workflowId}\n`);
  if (session.uiUrl) process.stdout.write(`web ui   ${webUiWorkflowUrl(session.uiUrl, session.namespace, handle.workflowId)}\n`);
  let cancelling = false;
  const interrupt = () => {
    if (cancelling) {
      process.stderr.write(`\n${pc.yellow('left running:')} ${handle.workflowId} (cancellation was requested, not waited for); see it with \`osiris logs show ${handle.workflowId}\` or in the Web UI.\n`);
      process.exit(EXIT.interrupted);
    }
    cancelling = true;
    process.stderr.write(`\n${pc.dim(`Cancelling ${handle.workflowId}, waiting until its steps have stopped and its workspace is cleaned up (Ctrl-C again to leave it running)...`)}\n`);
    handle.cancel().catch((err: unknown) => printError(err));
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const sig of signals) process.on(sig, interrupt);
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
    const cancelled = printRunFailure(err);
    process.stderr.write(pc.dim(`report   osiris logs html ${handle.workflowId}`) + '\n');
    return cancelled && cancelling ? EXIT.interrupted : EXIT.failed;
  } finally {
    for (const sig of signals) process.off(sig, interrupt);
  }
}

/** The workflow's failure names the step; its details carry the hint from the activity. True when it was cancelled. */
function printRunFailure(err: unknown): boolean {
  if (!(err instanceof WorkflowFailedError)) {
    printError(err);
    return false;
  }
  // A failure before any step (e.g. preparing the workspace) arrives wrapped in its ActivityFailure.
  const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
  if (cause instanceof CancelledFailure) {
    process.stderr.write(`${pc.yellow('cancelled:')} the run was cancelled; its workspace was cleaned up and finished steps' outputs are kept.\n`);
    return true;
  }
  if (cause instanceof ApplicationFailure) {
    const { hint } = readFailureDetails(cause.details);
    process.stderr.write(`${pc.red('failed:')} ${cause.message}\n`);
    if (hint) process.stderr.write(`${pc.yellow('hint:')} ${hint}\n`);
    return false;
  }
  process.stderr.write(`${pc.red('failed:')} ${cause?.message ?? err.message}\n`);
  return false;
}
