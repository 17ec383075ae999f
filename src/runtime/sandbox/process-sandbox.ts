import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OsirisError } from '../../errors.js';
import { lineSplitter, tailKeeper, type Sandbox, type SandboxLimits, type SandboxProvider } from './sandbox.js';

/**
 * The sandbox protocol with a child process in a scratch directory per run
 * (`<baseDir>/<runId>`), for users without E2B and for tests. The child gets a scrubbed
 * environment: PATH, HOME and TMPDIR inside the scratch directory, and the step's connections.
 * It isolates secrets and files from the worker's environment, not the machine: it is no VM.
 */
export function createProcessSandboxProvider(o: { baseDir: string; nodeModulesDir: string; limits: SandboxLimits }): SandboxProvider {
  /** Commands running per sandbox, so kill() can stop them (cleanup runs on this worker: host queue). */
  const running = new Map<string, Set<ChildProcess>>();

  const open = (id: string): Sandbox => {
    // The id arrives in workflow inputs and becomes a directory name.
    if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) {
      throw new OsirisError('CONFIG_INVALID', `"${id}" cannot name a sandbox directory`, { hint: 'Run ids are workflow ids: letters, digits, ".", "-", "_".' });
    }
    const root = path.join(o.baseDir, id);
    return {
      id,
      root,
      async upload(hostFile, sandboxPath) {
        await mkdir(path.dirname(sandboxPath), { recursive: true });
        await copyFile(hostFile, sandboxPath);
      },
      async writeFile(sandboxPath, content) {
        await mkdir(path.dirname(sandboxPath), { recursive: true });
        await writeFile(sandboxPath, content, { mode: 0o600 });
      },
      async download(sandboxPath, hostFile) {
        await copyFile(sandboxPath, hostFile);
      },
      run(command) {
        command.signal?.throwIfAborted();
        const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(root, 'home'), TMPDIR: path.join(root, 'tmp'), ...command.env };
        // Its own process group: a kill reaches anything the step started.
        const child = spawn(process.execPath, [`--max-old-space-size=${o.limits.memoryMb}`, command.script, ...command.args], {
          cwd: root,
          env,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const children = running.get(id) ?? new Set();
        running.set(id, children);
        children.add(child);
        const lines = lineSplitter(command.onLine);
        const stderr = tailKeeper();
        child.stdout!.setEncoding('utf8').on('data', lines.push);
        child.stderr!.setEncoding('utf8').on('data', stderr.push);
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          killGroup(child);
        }, o.limits.timeoutMs);
        const abort = () => killGroup(child);
        command.signal?.addEventListener('abort', abort, { once: true });
        return new Promise((resolve, reject) => {
          child.once('error', reject);
          child.once('close', (code, signal) => {
            clearTimeout(timer);
            command.signal?.removeEventListener('abort', abort);
            children.delete(child);
            lines.end();
            resolve({ exitCode: code ?? (signal ? 128 : 1), stderrTail: stderr.text(), timedOut });
          });
        });
      },
    };
  };

  return {
    name: 'process',
    async create(runId) {
      const sandbox = open(runId);
      await mkdir(path.join(sandbox.root, 'home'), { recursive: true, mode: 0o700 });
      await mkdir(path.join(sandbox.root, 'tmp'), { recursive: true });
      // The bundled runtime resolves its external native packages from here.
      await symlink(o.nodeModulesDir, path.join(sandbox.root, 'node_modules')).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      return sandbox;
    },
    async connect(sandboxId) {
      return open(sandboxId);
    },
    async kill(sandboxId) {
      for (const child of running.get(sandboxId) ?? []) killGroup(child);
      running.delete(sandboxId);
      await rm(open(sandboxId).root, { recursive: true, force: true });
    },
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
