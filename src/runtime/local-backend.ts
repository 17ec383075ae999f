import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutionBackend } from './backend.js';
import type { ExecuteStep } from '../dataplane/step-contract.js';
import { createWorkspace, removeWorkspace } from '../dataplane/workspace.js';

/** Runs steps in this process, with workspaces under `<stateDir>/workspaces/<runId>`. */
export function createLocalBackend(o: { projectDir: string; inputDir?: string; stateDir: string; outputDir: string; executeStep: ExecuteStep }): ExecutionBackend {
  return {
    name: 'local',
    async prepare(runId) {
      const workspaceDir = await createWorkspace(path.join(o.stateDir, 'workspaces'), runId);
      await mkdir(o.outputDir, { recursive: true });
      return { workspaceDir, outputDir: o.outputDir };
    },
    executeStep(step, workspace, { resolveConnection, ...options }) {
      return o.executeStep(step, { workspaceDir: workspace.workspaceDir, projectDir: o.projectDir, ...(o.inputDir === undefined ? {} : { inputDir: o.inputDir }), outputDir: workspace.outputDir, resolveConnection }, options);
    },
    cleanup(workspace) {
      return removeWorkspace(workspace.workspaceDir);
    },
  };
}
