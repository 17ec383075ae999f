import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { CommandExitError, Sandbox as E2bSandbox, TimeoutError, type ConnectionOpts } from 'e2b';
import { OsirisError } from '../../errors.js';
import { lineSplitter, tailKeeper, type CommandOutcome, type Sandbox, type SandboxLimits, type SandboxProvider } from './sandbox.js';

export interface E2bProviderOptions {
  template: string;
  limits: SandboxLimits;
  /** Directory in the sandbox that holds the run: the template's WORKDIR, where its node_modules are. */
  root?: string;
  /** E2B_API_KEY; apiUrl / sandboxUrl / domain also come from E2B_API_URL, E2B_SANDBOX_URL, E2B_DOMAIN. */
  connection: ConnectionOpts & { sandboxUrl?: string };
}

/** e2b/Dockerfile's WORKDIR. */
const DEFAULT_ROOT = '/home/user/osiris';
/** Marks a sandbox with its run, so a retried prepare finds it instead of starting a second one. */
const RUN_METADATA = 'osiris_run';

/** Sandboxes in E2B's cloud through the official SDK: one per run, reconnected by id for each step. */
export function createE2bSandboxProvider(o: E2bProviderOptions): SandboxProvider {
  const root = o.root ?? DEFAULT_ROOT;
  const opts = () => {
    if (!o.connection.apiKey) {
      throw new OsirisError('CONFIG_INVALID', 'E2B_API_KEY is not set: the e2b target cannot create sandboxes', {
        hint: 'Set E2B_API_KEY for the exec-e2b worker (https://e2b.dev/dashboard), or set e2b.backend: process in osiris.yaml to run steps in a local child process.',
      });
    }
    return o.connection;
  };

  const wrap = (sbx: E2bSandbox): Sandbox => ({
    id: sbx.sandboxId,
    root,
    async upload(hostFile, sandboxPath) {
      await sbx.files.write(sandboxPath, Readable.toWeb(createReadStream(hostFile)) as ReadableStream<Uint8Array>);
    },
    async writeFile(sandboxPath, content) {
      await sbx.files.write(sandboxPath, content);
    },
    async download(sandboxPath, hostFile) {
      const stream = await sbx.files.read(sandboxPath, { format: 'stream' });
      await pipeline(Readable.fromWeb(stream as NodeWebStream<Uint8Array>), createWriteStream(hostFile));
    },
    async run(command): Promise<CommandOutcome> {
      command.signal?.throwIfAborted();
      const lines = lineSplitter(command.onLine);
      const stderr = tailKeeper();
      // `exec`: the process envd reports (and kills on cancellation) is node itself, not a shell around it.
      const shell = `exec ${['node', `--max-old-space-size=${o.limits.memoryMb}`, command.script, ...command.args].map(shellQuote).join(' ')}`;
      const handle = await sbx.commands.run(shell, {
        background: true,
        cwd: root,
        envs: command.env,
        timeoutMs: o.limits.timeoutMs,
        onStdout: lines.push,
        onStderr: stderr.push,
      });
      const kill = () => void handle.kill().catch(() => {});
      command.signal?.addEventListener('abort', kill, { once: true });
      // Cancelled while the command was starting: the listener came too late for that.
      if (command.signal?.aborted) kill();
      try {
        const result = await handle.wait();
        return { exitCode: result.exitCode, stderrTail: stderr.text(), timedOut: false };
      } catch (err) {
        if (err instanceof CommandExitError) return { exitCode: err.exitCode, stderrTail: stderr.text(), timedOut: false };
        if (err instanceof TimeoutError) {
          kill();
          return { exitCode: -1, stderrTail: stderr.text(), timedOut: true };
        }
        throw err;
      } finally {
        command.signal?.removeEventListener('abort', kill);
        lines.end();
      }
    },
  });

  return {
    name: 'e2b',
    async create(runId) {
      const connection = opts();
      const existing = await E2bSandbox.list({ ...connection, query: { metadata: { [RUN_METADATA]: runId }, state: ['running'] } }).nextItems();
      const sbx = existing[0]
        ? await E2bSandbox.connect(existing[0].sandboxId, { ...connection, timeoutMs: o.limits.timeoutMs })
        : await E2bSandbox.create(o.template, { ...connection, timeoutMs: o.limits.timeoutMs, metadata: { [RUN_METADATA]: runId } });
      // CPU and memory are properties of the template (fixed by `e2b template build`): refuse one smaller than configured.
      const info = await E2bSandbox.getInfo(sbx.sandboxId, connection);
      if (info.cpuCount < o.limits.cpu || info.memoryMB < o.limits.memoryMb) {
        await E2bSandbox.kill(sbx.sandboxId, connection).catch(() => {});
        throw new OsirisError('CONFIG_INVALID', `E2B template "${o.template}" gives ${info.cpuCount} CPU / ${info.memoryMB} MB, less than e2b.cpu ${o.limits.cpu} / e2b.memory_mb ${o.limits.memoryMb}`, {
          hint: `Rebuild the template with more resources (e2b/e2b.toml cpu_count and memory_mb, then \`e2b template build\`), or lower e2b.cpu / e2b.memory_mb.`,
        });
      }
      return wrap(sbx);
    },
    async connect(sandboxId) {
      // Connecting also extends the sandbox's lifetime: each step gets the full timeout.
      return wrap(await E2bSandbox.connect(sandboxId, { ...opts(), timeoutMs: o.limits.timeoutMs }));
    },
    async kill(sandboxId) {
      await E2bSandbox.kill(sandboxId, opts());
    },
  };
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
