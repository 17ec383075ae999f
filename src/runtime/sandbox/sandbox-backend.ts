import { randomUUID } from 'node:crypto';
import { access, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { maskDeep, maskSecrets } from '../../connections/secrets.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { getFamily } from '../../connectors/families.js';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import type { ExecutionBackend, WorkspaceHandle } from '../backend.js';
import { resolveOutputPath } from '../../dataplane/output-path.js';
import type { StepResult } from '../../dataplane/step-contract.js';
import { resolveInputPath } from '../../connectors/filesystem/input-path.js';
import { connectionEnv, connectionRefs, fromSandboxError, type SandboxEvent, type StepRequest } from './protocol.js';
import type { Sandbox, SandboxProvider } from './sandbox.js';

export interface SandboxBackendOptions {
  provider: SandboxProvider;
  /** Host directories: relative input paths are read from projectDir (confined to inputDir, default projectDir), outputs are downloaded into outputDir. */
  projectDir: string;
  inputDir?: string;
  outputDir: string;
  /** The bundled runtime on the host (dist/sandbox-runtime.mjs), uploaded once per sandbox. */
  runtimeBundle: string;
}

const layout = (root: string) => ({ workspaceDir: path.posix.join(root, 'workspace'), outputDir: path.posix.join(root, 'output'), projectDir: path.posix.join(root, 'project') });

/** Inside the sandbox, relative to its root. */
const RUNTIME = 'runtime/sandbox-runtime.mjs';

/**
 * Runs each step inside the run's sandbox with the bundled runtime: stages the files the step reads,
 * passes its connections as environment variables of that one command, turns the JSON lines it
 * prints into progress and a StepResult, and downloads what it wrote into the host output directory.
 */
export function createSandboxBackend(o: SandboxBackendOptions): ExecutionBackend {

  return {
    name: o.provider.name,
    async prepare(runId) {
      if (!(await exists(o.runtimeBundle))) {
        throw new OsirisError('CONFIG_INVALID', `The sandbox runtime ${o.runtimeBundle} is missing`, { hint: 'Build it with `npm run build` (scripts/bundle-runtime.ts).' });
      }
      const sandbox = await o.provider.create(runId);
      try {
        await sandbox.upload(o.runtimeBundle, path.posix.join(sandbox.root, RUNTIME));
      } catch (err) {
        await o.provider.kill(sandbox.id).catch(() => {});
        throw err;
      }
      const { workspaceDir, outputDir } = layout(sandbox.root);
      return { workspaceDir, outputDir, sandboxId: sandbox.id };
    },

    async executeStep(step, workspace, { resolveConnection, signal, onProgress }) {
      const sandbox = await o.provider.connect(requireSandboxId(workspace));
      const stepDir = path.posix.join(sandbox.root, 'steps', safeSegment(step.id));
      const connections = await Promise.all(connectionRefs(step.config).map(resolveConnection));
      const secrets = connections.flatMap((c) => c.secrets ?? []);
      const staged = await stageInputs(sandbox, stepDir, step, connections, o);
      const request: StepRequest = { step: staged.step, ...layout(sandbox.root) };
      const requestFile = path.posix.join(stepDir, 'request.json');
      await sandbox.writeFile(requestFile, JSON.stringify(request));

      // Stops the command when the activity is cancelled, or when onProgress throws (the test seam for a crash mid-step).
      const stop = new AbortController();
      const onAbort = () => stop.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let result: StepResult | undefined;
      let failure: Error | undefined;
      let outcome;
      try {
        outcome = await sandbox.run({
          script: path.posix.join(sandbox.root, RUNTIME),
          args: [requestFile],
          env: connectionEnv(staged.connections),
          signal: stop.signal,
          onLine: (line) => {
            const event = parseEvent(line, secrets);
            if (!event || failure) return;
            if (event.type === 'result') result = event.result;
            else if (event.type === 'error') failure = fromSandboxError(event.error);
            else {
              try {
                onProgress?.({ stepId: event.stepId, rows: event.rows });
              } catch (err) {
                failure = err instanceof Error ? err : new Error(String(err));
                stop.abort(failure);
              }
            }
          },
        });
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      signal?.throwIfAborted();
      if (failure) throw failure;
      if (outcome.timedOut) {
        throw new OsirisError('CONFIG_INVALID', `Step "${step.id}" ran longer than the sandbox timeout and was stopped`, { hint: 'Raise e2b.timeout_ms in osiris.yaml, or make the step cheaper.' });
      }
      if (!result) {
        throw new OsirisError('TRANSIENT', `Step "${step.id}": the sandbox runtime exited with code ${outcome.exitCode} without a result: ${maskSecrets(outcome.stderrTail, secrets).trim() || '(no output)'}`, {
          hint: 'The sandbox may have run out of memory or been stopped; the step is retried. Check e2b.memory_mb.',
          retryable: true,
        });
      }
      const outputs = await Promise.all(result.outputs.map((file) => download(sandbox, file.path, request.outputDir, o.outputDir, step.id)));
      for (const back of staged.writeBack) await downloadInto(sandbox, back.sandboxPath, back.hostPath);
      return { ...result, outputs };
    },

    async cleanup(workspace) {
      if (workspace.sandboxId !== undefined) await o.provider.kill(workspace.sandboxId);
    },
  };
}

function requireSandboxId(workspace: WorkspaceHandle): string {
  if (workspace.sandboxId === undefined) {
    throw new OsirisError('CONFIG_INVALID', 'This workspace has no sandbox: it was prepared by another execution target', { hint: 'Run the pipeline again; all its steps must run on one target.' });
  }
  return workspace.sandboxId;
}

function safeSegment(id: string): string {
  if (id === '' || id === '.' || id === '..' || id !== path.posix.basename(id) || id.includes('\\')) {
    throw new OsirisError('CONFIG_INVALID', `Invalid step id "${id}": it is used as a file name`, { hint: 'Use letters, digits, "-" and "_" in step ids.' });
  }
  return id;
}

interface StagedStep {
  step: ManifestStep;
  connections: ResolvedConnection[];
  /** Files a write step changes in place (SQLite databases): copied back after it succeeds. */
  writeBack: { sandboxPath: string; hostPath: string }[];
}

/**
 * The sandbox cannot see the host's files, so the files a step reads are copied into its step
 * directory and their paths rewritten: the file keys of a connection's family (SQLite databases), and a filesystem extractor's input.
 */
async function stageInputs(sandbox: Sandbox, stepDir: string, step: ManifestStep, connections: ResolvedConnection[], o: Pick<SandboxBackendOptions, 'projectDir' | 'inputDir'>): Promise<StagedStep> {
  const { projectDir } = o;
  const writeBack: StagedStep['writeBack'] = [];
  const stage = async (hostPath: string, name: string, dir = stepDir): Promise<string | undefined> => {
    const sandboxPath = path.posix.join(dir, name);
    if (await exists(hostPath)) await sandbox.upload(hostPath, sandboxPath);
    // A missing input keeps its host path, so the runtime's error names the file the user knows; a writer creates it.
    else if (step.mode !== 'write') return undefined;
    return sandboxPath;
  };
  const staged = await Promise.all(
    connections.map(async (c) => {
      const values = { ...c.values };
      for (const key of getFamily(c.family)?.connections?.fileKeys ?? []) {
        const file = values[key];
        if (typeof file !== 'string') continue;
        const hostPath = path.resolve(projectDir, file);
        const sandboxPath = await stage(hostPath, `connection-${c.alias}-${key}${path.extname(hostPath)}`);
        if (sandboxPath === undefined) continue;
        if (step.mode === 'write') writeBack.push({ sandboxPath, hostPath });
        values[key] = sandboxPath;
      }
      return { ...c, values };
    }),
  );
  let stagedStep = step;
  const input = step.config.path;
  if (step.component.startsWith('filesystem.') && step.mode === 'read' && typeof input === 'string') {
    // The same confinement as a local run, before anything is uploaded; inside the sandbox the staged
    // copy sits in its project directory, where the runtime's own check accepts it.
    const hostPath = await resolveInputPath(o.inputDir ?? projectDir, input, step.id);
    const name = `${safeSegment(step.id)}-${path.basename(hostPath)}`;
    const sandboxPath = await stage(hostPath, name, path.posix.join(layout(sandbox.root).projectDir, 'inputs'));
    if (sandboxPath !== undefined) stagedStep = { ...step, config: { ...step.config, path: path.posix.join('inputs', name) } };
  }
  return { step: stagedStep, connections: staged, writeBack };
}

/** A file the step wrote, downloaded to the same place under the host output directory (checked again: the sandbox is not trusted). */
async function download(sandbox: Sandbox, sandboxPath: string, sandboxOutputDir: string, hostOutputDir: string, stepId: string) {
  const relative = path.posix.relative(sandboxOutputDir, sandboxPath);
  const hostPath = await resolveOutputPath(hostOutputDir, relative, stepId);
  await downloadInto(sandbox, sandboxPath, hostPath);
  return { path: hostPath, bytes: (await stat(hostPath)).size };
}

/** Through a temporary file renamed into place, like the writers themselves: readers never see half a file. */
async function downloadInto(sandbox: Sandbox, sandboxPath: string, hostPath: string): Promise<void> {
  const temp = `${hostPath}.${randomUUID()}.tmp`;
  try {
    await sandbox.download(sandboxPath, temp);
    await rename(temp, hostPath);
  } finally {
    await rm(temp, { force: true });
  }
}

function parseEvent(line: string, secrets: readonly string[]): SandboxEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return maskDeep(JSON.parse(line) as SandboxEvent, secrets);
  } catch {
    return undefined;
  }
}


async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
