/**
 * The runtime's entry point inside a sandbox (bundled into dist/sandbox-runtime.mjs):
 * `node sandbox-runtime.mjs <request.json>` runs one step with the same executeStep as the local
 * worker and reports on stdout as JSON lines (protocol.ts). Connections come only from this
 * process's environment; nothing here writes them anywhere.
 */
import { readFile } from 'node:fs/promises';
import { OsirisError } from '../errors.js';
import { executeStep } from './execute-step.js';
import { connectionsFromEnv, toSandboxError, type SandboxEvent, type StepRequest } from './sandbox/protocol.js';
import { createWorkspace } from '../dataplane/workspace.js';
import path from 'node:path';

function emit(event: SandboxEvent): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

async function main(requestFile: string): Promise<void> {
  const request = JSON.parse(await readFile(requestFile, 'utf8')) as StepRequest;
  const connections = connectionsFromEnv(process.env);
  await createWorkspace(path.dirname(request.workspaceDir), path.basename(request.workspaceDir));
  const result = await executeStep(
    request.step,
    {
      workspaceDir: request.workspaceDir,
      outputDir: request.outputDir,
      projectDir: request.projectDir,
      resolveConnection: async (ref) => {
        const found = connections.get(ref);
        if (found) return found;
        throw new OsirisError('CONNECTION_NOT_FOUND', `Connection ${ref} was not passed to the sandbox`, {
          hint: `Define ${ref} in osiris_connections.yaml on the worker that runs the exec-e2b queue.`,
        });
      },
    },
    { onProgress: (p) => emit({ type: 'progress', stepId: p.stepId, rows: p.rows }) },
  );
  emit({ type: 'result', result });
}

// stdout carries only protocol lines: anything a library logs goes to stderr.
console.log = console.error;
console.info = console.error;
try {
  const requestFile = process.argv[2];
  if (!requestFile) throw new Error('usage: sandbox-runtime <request.json>');
  await main(requestFile);
  process.exitCode = 0;
} catch (err) {
  emit({ type: 'error', error: toSandboxError(err) });
  process.exitCode = 1;
}
// Pools and sockets some drivers keep open must not keep the sandbox command alive; stdout to a pipe is synchronous on Linux.
process.exit();
