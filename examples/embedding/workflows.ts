// A user's own workflow that runs an Osiris pipeline as a child between two of its own activities.
// Workflow code imports Osiris only from `osiris-temporal/workflows` (deterministic, no Node APIs).
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { pipelineRun, type PipelineRunResult } from 'osiris-temporal/workflows';
import type * as activities from './activities.js';

// Re-exported so this worker also runs the child (and its activities come from the Osiris plugin).
export { pipelineRun };

const { checkSourceFresh, publishReport } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export interface NightlyReportInput {
  /** The pipeline's OML text; the child compiles it (with the params) before running. */
  oml: string;
  minRating: number;
}

export async function nightlyReport(input: NightlyReportInput): Promise<{ report: string; run: PipelineRunResult }> {
  await checkSourceFresh();
  const run = await executeChild(pipelineRun, {
    workflowId: `${workflowInfo().workflowId}-pipeline`,
    args: [{ oml: input.oml, params: { min_rating: input.minRating } }],
  });
  const report = await publishReport({
    pipeline: run.pipeline,
    fingerprint: run.fingerprint,
    rowsByStep: Object.fromEntries(run.steps.map((s) => [s.stepId, s.rows])),
    files: run.outputs.map((o) => o.path),
  });
  return { report, run };
}
