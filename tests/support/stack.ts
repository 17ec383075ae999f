import type { Client } from '@temporalio/client';
import type { ExecActivityDeps } from '../../src/activities/exec.js';
import type { ProjectConfig } from '../../src/config/project-config.js';
import type { StepProgress } from '../../src/dataplane/step-contract.js';
import { connectClient } from './conversation.js';
import { makeProject, testConfig } from './project.js';
import { startTestTemporal, type TestTemporal } from './temporal.js';
import { startWorkers, type InProcessWorkers } from './workers.js';

export interface TestStack {
  temporal: TestTemporal;
  client: Client;
  projectDir: string;
  config: ProjectConfig;
  /** Stops the workers, closes the client and stops the server; safe to call when start failed half-way. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Files of a new project directory (osiris.yaml, osiris_connections.yaml, ...). */
  files?: Record<string, string>;
  /** Temporal dynamic config (e.g. `limit.historyCount.suggestContinueAsNew=40`). */
  dynamicConfig?: string[];
  /** Runs once the project exists and before any worker starts: demo databases, environment values. */
  prepare?: (projectDir: string) => Promise<void> | void;
  /** Test seam of the exec-local workers (see `failFirstAttempt`). */
  onStepProgress?: ExecActivityDeps['onStepProgress'];
  /** Workers beyond control + exec-local (exec-e2b), started with the same config. */
  moreWorkers?: (config: ProjectConfig) => Promise<InProcessWorkers>[];
  /** false: no workers in this process (the test starts its own, e.g. as separate processes). */
  workers?: boolean;
}

/** A real Temporal dev server, a client, a project and in-process workers: what most integration files need. */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const running: InProcessWorkers[] = [];
  let client: Client | undefined;
  const temporal = await startTestTemporal({ dynamicConfig: options.dynamicConfig });
  const stop = async () => {
    await Promise.all(running.map((w) => w.stop()));
    await client?.connection.close();
    await temporal.stop();
  };
  try {
    client = await connectClient(temporal.address);
    const projectDir = makeProject(options.files);
    await options.prepare?.(projectDir);
    const config = testConfig(projectDir, temporal.address);
    if (options.workers !== false) {
      running.push(await startWorkers(config, { onStepProgress: options.onStepProgress }));
      running.push(...(await Promise.all(options.moreWorkers?.(config) ?? [])));
    }
    return { temporal, client, projectDir, config, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The "first attempt of step X crashes mid-step" fault, written once: add step ids to `steps`, pass
 * `onStepProgress` to the workers. The crash comes after `afterRows` rows, so part of the work is done.
 */
export function failFirstAttempt(options: { afterRows?: number; message?: (stepId: string) => string } = {}) {
  const steps = new Set<string>();
  const onStepProgress = (p: StepProgress, attempt: number) => {
    if (attempt === 1 && steps.has(p.stepId) && p.rows >= (options.afterRows ?? 0)) {
      throw new Error(options.message?.(p.stepId) ?? `injected transient failure in ${p.stepId}`);
    }
  };
  return { steps, onStepProgress };
}
