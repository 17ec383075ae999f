import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Context, heartbeat } from '@temporalio/activity';
import type { ConnectionResolver } from '../connectors/types.js';
import type { ExecutionBackend } from '../runtime/backend.js';
import type { StepProgress } from '../runtime/types.js';
import { toActivityFailure } from './failures.js';
import type { ExecActivities, PreparedWorkspace, StepHeartbeat } from './types.js';

export interface ExecActivityDeps {
  /** `.osiris/`: run summaries under `runs/`. */
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

export function runsDir(stateDir: string): string {
  return path.join(stateDir, 'runs');
}

/** Execution activities for one host: plain functions closed over their dependencies. */
export function createExecActivities(deps: ExecActivityDeps): ExecActivities {
  return {
    async prepareWorkspace({ runId }) {
      return { ...(await deps.backend.prepare(runId)), hostTaskQueue: deps.hostTaskQueue };
    },

    async runStep({ workspace, step }) {
      const ctx = Context.current();
      const secrets = new Set<string>();
      const resolveConnection: ConnectionResolver = async (ref) => {
        const resolved = await deps.resolveConnection(ref);
        for (const secret of resolved.secrets ?? []) secrets.add(secret);
        return resolved;
      };
      let last: StepHeartbeat = { stepId: step.id, rows: 0 };
      heartbeat(last);
      const timer = setInterval(() => heartbeat(last), HEARTBEAT_INTERVAL_MS);
      try {
        return await deps.backend.executeStep(step, workspace, {
          resolveConnection,
          signal: ctx.cancellationSignal,
          onProgress: (p) => {
            deps.onStepProgress?.(p, ctx.info.attempt);
            last = { stepId: p.stepId, rows: p.rows };
            heartbeat(last);
          },
        });
      } catch (err) {
        throw toActivityFailure(err, secrets);
      } finally {
        clearInterval(timer);
      }
    },

    async finalizeRun({ runId, manifest, fingerprint, steps }) {
      const runDir = path.join(runsDir(deps.stateDir), runId);
      await mkdir(runDir, { recursive: true });
      const outputs = steps.flatMap((s) => s.outputs);
      const summary = { runId, pipeline: manifest.pipeline.name, fingerprint, steps, outputs };
      await writeFile(path.join(runDir, 'run.json'), JSON.stringify(summary, null, 2));
      return { outputs, runDir };
    },

    async cleanupWorkspace(workspace: PreparedWorkspace) {
      await deps.backend.cleanup(workspace);
    },
  };
}
