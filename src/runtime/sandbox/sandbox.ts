/**
 * A place to run the step runtime away from the worker: an E2B cloud sandbox, or a child process in
 * a scratch directory. The sandbox backend (sandbox-backend.ts) speaks only this interface, so both
 * run the same protocol and give the same results.
 */
export interface SandboxLimits {
  /** The longest one step may run; E2B also keeps the sandbox alive this long after each step starts. */
  timeoutMs: number;
  cpu: number;
  memoryMb: number;
}

export interface SandboxCommand {
  /** A Node script inside the sandbox and its arguments. */
  script: string;
  args: string[];
  /** The command's only environment besides what the sandbox needs to run Node: secrets go here and nowhere else. */
  env: Record<string, string>;
  /** Each complete stdout line. */
  onLine(line: string): void;
  /** Kills the command. */
  signal?: AbortSignal;
}

export interface CommandOutcome {
  exitCode: number;
  /** The end of stderr, for errors that happen before the runtime can report. */
  stderrTail: string;
  timedOut: boolean;
}

export interface Sandbox {
  readonly id: string;
  /** Directory inside the sandbox that holds everything of the run. */
  readonly root: string;
  /** Copies a host file into the sandbox (parent directories are created). */
  upload(hostFile: string, sandboxPath: string): Promise<void>;
  writeFile(sandboxPath: string, content: string): Promise<void>;
  run(command: SandboxCommand): Promise<CommandOutcome>;
  /** Copies a sandbox file to a host path (the caller renames it into place). */
  download(sandboxPath: string, hostFile: string): Promise<void>;
}

export interface SandboxProvider {
  readonly name: 'e2b' | 'process';
  /** The run's sandbox, created once: a retried prepare finds the one it created before. */
  create(runId: string): Promise<Sandbox>;
  /** Reattaches to a sandbox by id, from any activity of the run. */
  connect(sandboxId: string): Promise<Sandbox>;
  /** Stops everything running in the sandbox and deletes it; a sandbox already gone is fine. */
  kill(sandboxId: string): Promise<void>;
}

/** Keeps the last `max` characters of a stream, for error messages. */
export function tailKeeper(max = 4000): { push(chunk: string): void; text(): string } {
  let tail = '';
  return {
    push(chunk) {
      tail = (tail + chunk).slice(-max);
    },
    text: () => tail,
  };
}

/** Splits a chunked stream into lines, calling `onLine` for each complete one. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
