import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import type { ConnectionResolver } from '../connections/types.js';
import { readFailureDetails } from '../failure-details.js';
import type { ManifestStep } from '../oml/manifest.js';
import type { ExecutionBackend } from '../runtime/backend.js';
import type { StepEndEvent, StepErrorEvent } from '../runtime/events.js';
import { appendEvent, readRunLog, runDir, saveManifest, writeMetrics } from '../runtime/run-log.js';
import type { StepProgress, StepResult } from '../dataplane/step-contract.js';
import { toActivityFailure } from './failures.js';
import type { ExecActivities, RunEnd, StepHeartbeat } from './types.js';

export interface ExecActivityDeps {
  /** `.osiris/`: run events, metrics and summaries under `runs/`. */
  stateDir: string;
  /** The queue only this worker serves, so all steps of a run land on the host holding its workspace. */
  hostTaskQueue: string;
  resolveConnection: ConnectionResolver;
  backend: ExecutionBackend;
  /** Test seam: called after each batch of a step, may throw to simulate a crash mid-step. */
  onStepProgress?: (progress: StepProgress, attempt: number) => void;
}

/** How often a long step heartbeats even between batches (a single COPY can take a while). */
const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * A step reports its rows by heartbeat only once it has run this long. Each heartbeat is a write on
 * the server, and a step of a few hundred milliseconds finishes before anyone could watch its rows or
 * cancel it; the heartbeat timeout (20-30 s) counts from the start whether or not it heartbeats.
 */
const FIRST_HEARTBEAT_MS = 1_000;

const now = () => new Date().toISOString();

/** What a step_end records; rows count as read or written by the step's mode. */
function stepEnd(step: ManifestStep, result: StepResult): Pick<StepEndEvent, 'rows' | 'rowsRead' | 'rowsWritten' | 'bytes' | 'durationMs'> {
  return {
    rows: result.rows,
    rowsRead: step.mode === 'read' ? result.rows : 0,
    rowsWritten: step.mode === 'write' ? result.rows : 0,
    bytes: result.outputs.reduce((n, o) => n + o.bytes, 0),
    durationMs: result.durationMs,
  };
}

/** The error part of a step_error, from the failure Temporal will record (already masked). */
function stepError(failure: Error, cancelled: boolean): Pick<StepErrorEvent, 'code' | 'message' | 'hint' | 'retryable'> {
  if (cancelled) return { code: 'CANCELLED', message: failure.message, retryable: false };
  if (failure instanceof ApplicationFailure) {
    const { hint } = readFailureDetails(failure.details);
    return { code: failure.type ?? 'Error', message: failure.message, hint, retryable: !failure.nonRetryable };
  }
  return { code: failure.name, message: failure.message, retryable: true };
}

/**
 * Execution activities for one host: plain functions closed over their dependencies. They write the
 * run's events around the backend calls, so every backend (local, sandbox) reports the same sequence.
 */
export function createExecActivities(deps: ExecActivityDeps): ExecActivities {
  const dirOf = (runId: string) => runDir(deps.stateDir, runId);

  async function recordRunEnd(end: RunEnd): Promise<void> {
    const dir = dirOf(end.runId);
    // A retried cleanup must not record the end twice.
    if (!(await readRunLog(dir)).events.some((e) => e.type === 'run_end')) {
      await appendEvent(dir, { type: 'run_end', ts: now(), runId: end.runId, status: end.status, error: end.error });
    }
    await writeMetrics(dir, (await readRunLog(dir)).metrics);
  }

  return {
    async prepareWorkspace({ runId, manifest, fingerprint, target, oml, runAttempt, lostHosts }) {
      // Heartbeats while a sandbox starts: a worker that dies here is noticed within the heartbeat
      // timeout and the prepare retried elsewhere, instead of after its whole start-to-close timeout.
      const timer = setInterval(() => heartbeat(), HEARTBEAT_INTERVAL_MS);
      // A backend that cannot start (no E2B key, template too small) fails for good, with its hint.
      const workspace = await deps.backend
        .prepare(runId)
        .catch((err: unknown) => {
          throw toActivityFailure(err, []);
        })
        .finally(() => clearInterval(timer));
      const dir = dirOf(runId);
      await saveManifest(dir, { fingerprint, manifest, oml });
      // A retried prepare must not record the start twice.
      if (!(await readRunLog(dir)).events.some((e) => e.type === 'run_start' && (e.attempt ?? 1) === (runAttempt ?? 1))) {
        const again = runAttempt ? { attempt: runAttempt, lostHosts } : {};
        await appendEvent(dir, { type: 'run_start', ts: now(), runId, pipeline: manifest.pipeline.name, fingerprint, target, backend: deps.backend.name, steps: manifest.steps.length, ...again });
      }
      return { ...workspace, hostTaskQueue: deps.hostTaskQueue };
    },

    async runStep({ runId, workspace, step }) {
      const ctx = Context.current();
      const dir = dirOf(runId);
      const base = { runId, stepId: step.id, component: step.component, mode: step.mode, attempt: ctx.info.attempt };
      const secrets = new Set<string>();
      const resolveConnection: ConnectionResolver = async (ref) => {
        const resolved = await deps.resolveConnection(ref);
        for (const secret of resolved.secrets ?? []) secrets.add(secret);
        return resolved;
      };
      await appendEvent(dir, { type: 'step_start', ts: now(), ...base });
      const started = Date.now();
      let last: StepHeartbeat = { stepId: step.id, rows: 0, elapsedMs: 0 };
      const timer = setInterval(() => heartbeat(last), HEARTBEAT_INTERVAL_MS);
      try {
        const result = await deps.backend.executeStep(step, workspace, {
          resolveConnection,
          signal: ctx.cancellationSignal,
          onProgress: (p) => {
            deps.onStepProgress?.(p, ctx.info.attempt);
            last = { stepId: p.stepId, rows: p.rows, elapsedMs: Date.now() - started };
            if (last.elapsedMs >= FIRST_HEARTBEAT_MS) heartbeat(last);
          },
        });
        await appendEvent(dir, { type: 'step_end', ts: now(), ...base, ...stepEnd(step, result) });
        return result;
      } catch (err) {
        const failure = toActivityFailure(err, secrets);
        const cancelled = ctx.cancellationSignal.aborted;
        await appendEvent(dir, { type: 'step_error', ts: now(), ...base, ...stepError(failure, cancelled), durationMs: Date.now() - started });
        // Report a cancellation as one (not as the runtime's wrapped error), so Temporal records the
        // activity as cancelled and the workflow ends as cancelled instead of failed.
        if (cancelled) throw ctx.cancellationSignal.reason instanceof CancelledFailure ? ctx.cancellationSignal.reason : new CancelledFailure(failure.message);
        throw failure;
      } finally {
        clearInterval(timer);
      }
    },

    async finalizeRun({ runId, manifest, fingerprint, steps }) {
      const dir = dirOf(runId);
      await mkdir(dir, { recursive: true });
      const outputs = steps.flatMap((s) => s.outputs);
      const summary = { runId, pipeline: manifest.pipeline.name, fingerprint, steps, outputs };
      await writeFile(path.join(dir, 'run.json'), JSON.stringify(summary, null, 2));
      return { outputs, runDir: dir };
    },

    async cleanupWorkspace({ end, ...workspace }) {
      if (end) await recordRunEnd(end);
      await deps.backend.cleanup(workspace).catch((err: unknown) => {
        throw toActivityFailure(err, []);
      });
    },
  };
}
