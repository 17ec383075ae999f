import type { Manifest } from '../oml/manifest.js';
import type { StepResult } from '../dataplane/step-contract.js';
import type { ExecutionTarget } from './task-queues.js';

export type StepStatus = 'pending' | 'running' | 'completed' | 'failed';
export type RunStatus = 'preparing' | 'running' | 'finalizing' | 'completed' | 'failed' | 'cancelled';

export interface StepProgressState {
  id: string;
  component: string;
  status: StepStatus;
  rows?: number;
  durationMs?: number;
  error?: string;
}

/** What the `progress` query returns: the run as the workflow knows it. */
export interface RunProgress {
  runId: string;
  pipeline: string;
  fingerprint: string;
  target: ExecutionTarget;
  status: RunStatus;
  steps: StepProgressState[];
  /** Set once the run moved to another host: which attempt this is, and the task queues of the hosts lost. */
  attempt?: number;
  lostHosts?: string[];
}

export function initialProgress(runId: string, manifest: Manifest, fingerprint: string, target: ExecutionTarget): RunProgress {
  return {
    runId,
    pipeline: manifest.pipeline.name,
    fingerprint,
    target,
    status: 'preparing',
    steps: manifest.steps.map((s) => ({ id: s.id, component: s.component, status: 'pending' })),
  };
}

export function markStep(progress: RunProgress, stepId: string, patch: Partial<StepProgressState>): void {
  const step = progress.steps.find((s) => s.id === stepId);
  if (step) Object.assign(step, patch);
}

export function completeStep(progress: RunProgress, result: StepResult): void {
  markStep(progress, result.stepId, { status: 'completed', rows: result.rows, durationMs: result.durationMs });
}
