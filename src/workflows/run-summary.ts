import type { Manifest } from '../oml/manifest.js';
import type { StepResult } from '../dataplane/step-contract.js';

/** Rows written by the run's writer steps (readers and transforms only move data inside the workspace). */
export function rowsWritten(manifest: Manifest, steps: readonly StepResult[]): number {
  const writers = new Set(manifest.steps.filter((s) => s.mode === 'write').map((s) => s.id));
  return steps.filter((s) => writers.has(s.stepId)).reduce((n, s) => n + s.rows, 0);
}
